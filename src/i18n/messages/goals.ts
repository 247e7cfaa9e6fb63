/** Messages for the goals feature. */
export const nb = {} as const;

export const en: Partial<Record<keyof typeof nb, string>> = {};
