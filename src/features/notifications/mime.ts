/**
 * Reads the plain-text e-mails Stafett itself sends (one text/plain part, quoted-printable, base64 or
 * 7/8 bit, alone or first in a multipart message with attachments; RFC 2047 encoded headers). Used by the development mail page and the tests; not a general
 * MIME parser.
 */
export interface ReadMessage {
  subject: string;
  from: string;
  to: string;
  date: string;
  text: string;
}

function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(
      /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g,
      (_whole, _charset: string, encoding: string, text: string) => {
        if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
        const bytes = text
          .replace(/_/g, ' ')
          .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
        return Buffer.from(bytes, 'latin1').toString('utf8');
      },
    );
}

export function readMessage(raw: Buffer | string): ReadMessage {
  const source = typeof raw === 'string' ? raw : raw.toString('latin1');
  const split = source.search(/\r?\n\r?\n/);
  const head = split < 0 ? source : source.slice(0, split);
  const body = split < 0 ? '' : source.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  // A message with an attachment (a meeting's calendar file): the text is its first text/plain part.
  const boundary = /^multipart\/[^;]+;.*boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  if (boundary) {
    const parts = body.split(`--${boundary}`).slice(1, -1);
    const plain = parts.find((part) =>
      /content-type:\s*text\/plain/i.test(part.split(/\r?\n\r?\n/)[0] ?? ''),
    );
    const header = (name: string) =>
      decodeWords(Buffer.from(headers.get(name) ?? '', 'latin1').toString('utf8'));
    return {
      subject: header('subject'),
      from: header('from'),
      to: header('to'),
      date: headers.get('date') ?? '',
      text: plain ? readMessage(plain.replace(/^\r?\n/, '')).text : '',
    };
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  let bytes: Buffer;
  if (encoding === 'quoted-printable') {
    const unfolded = body.replace(/=\r?\n/g, '');
    bytes = Buffer.from(
      unfolded.replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    );
  } else if (encoding === 'base64') {
    bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  } else {
    bytes = Buffer.from(body, 'latin1');
  }
  // Raw 8-bit header bytes are UTF-8; encoded words are ASCII and decoded after.
  const header = (name: string) =>
    decodeWords(Buffer.from(headers.get(name) ?? '', 'latin1').toString('utf8'));
  return {
    subject: header('subject'),
    from: header('from'),
    to: header('to'),
    date: headers.get('date') ?? '',
    text: bytes.toString('utf8').replace(/\r\n/g, '\n').trimEnd(),
  };
}
