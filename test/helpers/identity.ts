/**
 * What looks like a Norwegian identity number (fødselsnummer, d-nummer) in a page, a mail, a file: 11
 * digits standing alone, or 6 + 5 with a space between. Not digits inside a longer token: a MIME
 * boundary ("----_NmP-14799099748e8008-Part_1"), a Message-ID or form token (a UUID) or a hash is random
 * hex and holds such a run now and then, which is no leak. The tests also look for the child's own
 * number exactly.
 */
export const IDENTITY_NUMBER_LIKE = /\b\d{6} ?\d{5}\b/;
