/** Messages for the notes feature. */
export const nb = {} as const;

export const en: Partial<Record<keyof typeof nb, string>> = {};
