/** The content-stream side of PDF/UA: operators found past strings and dictionaries; artifacts marked. */
import t from 'tap';
import { contentOperators, markArtifacts } from './pdf-ua.js';

const text = (s: string) => Buffer.from(s, 'latin1');

t.test('operators are found past strings, hex strings, dictionaries and arrays', async (t) => {
  const ops = contentOperators(
    text(
      '/P <</MCID 3 >>BDC BT (a \\) BT ET (nested) x) Tj <4142> Tj [(x) -12 (y)] TJ ET EMC 1 0 0 1 0 0 cm',
    ),
  );
  t.same(
    ops.map((op) => op.name),
    ['BDC', 'BT', 'Tj', 'Tj', 'TJ', 'ET', 'EMC', 'cm'],
  );
  t.equal(ops[0]!.operands, '/P <</MCID 3 >>');
});

t.test(
  'untagged text and painted paths become artifacts; clipping paths and state stay as they are',
  async (t) => {
    const { content } = markArtifacts(
      text('q 0 0 10 10 re W n /P <</MCID 0 >>BDC BT (x) Tj ET EMC BT (Side 1) Tj ET 0 0 5 5 re f Q'),
      () => 'P',
    );
    t.equal(
      Buffer.from(content).toString('latin1'),
      'q 0 0 10 10 re W n /P <</MCID 0 >>BDC BT (x) Tj ET EMC /Artifact BMC\nBT (Side 1) Tj ET\nEMC /Artifact BMC\n0 0 5 5 re f\nEMC Q',
    );
  },
);

t.test('tagged graphics without text become artifacts, except bullets and figures', async (t) => {
  const roles: Record<number, string> = { 0: 'Table', 1: 'Lbl', 2: 'Figure', 3: 'TD' };
  const { content, artifactMcids } = markArtifacts(
    text(
      '/Table <</MCID 0 >>BDC 0 0 1 1 re f EMC /Lbl <</MCID 1 >>BDC 0 0 1 1 re f EMC ' +
        '/Figure <</MCID 2 >>BDC 0 0 1 1 re f EMC /TD <</MCID 3 >>BDC 0 0 1 1 re f BT (x) Tj ET EMC',
    ),
    (mcid) => roles[mcid],
  );
  t.same(artifactMcids, [0], 'only the table rules');
  t.match(Buffer.from(content).toString('latin1'), /^\/Artifact BMC 0 0 1 1 re f EMC \/Lbl <<\/MCID 1 >>BDC/);
});
