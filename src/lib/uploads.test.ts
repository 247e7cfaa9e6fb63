/** The shared upload helpers: the file field of a body, the cheap checks, the download's name. */
import t from 'tap';
import { attachmentDisposition, basicUploadProblem, uploadIn } from './uploads.js';

const upload = (data: Buffer, filename = 'x.pdf', truncated = false) => ({
  filename,
  size: data.length,
  data,
  truncated,
});

t.test('the file field is an upload only when it holds bytes', async (t) => {
  const file = upload(Buffer.from('%PDF-1.7'));
  t.equal(uploadIn({ file }), file);
  t.equal(uploadIn({ file: 'a text field named file' }), null);
  t.equal(uploadIn({ file: { data: 'not bytes' } }), null);
  t.equal(uploadIn(undefined), null);
  t.equal(uploadIn({ other: file }, 'other'), file, 'another field name');
});

t.test('missing, cut off at the limit, empty; otherwise nothing to say yet', async (t) => {
  t.equal(basicUploadProblem(null), 'missing');
  t.equal(basicUploadProblem(upload(Buffer.alloc(0), '')), 'missing', 'no file chosen: an empty part');
  t.equal(basicUploadProblem(upload(Buffer.from('abc'), 'big.pdf', true)), 'tooLarge');
  t.equal(basicUploadProblem(upload(Buffer.alloc(0))), 'empty');
  t.equal(basicUploadProblem(upload(Buffer.from('abc'))), null);
});

t.test('a download is an attachment with an ASCII and a UTF-8 name', async (t) => {
  t.equal(
    attachmentDisposition('Signert samtykke – Åse.pdf'),
    `attachment; filename="Signert samtykke _ Ase.pdf"; filename*=UTF-8''Signert%20samtykke%20%E2%80%93%20%C3%85se.pdf`,
  );
});
