import * as fc from 'fast-check';
import { parse } from 'yaml';
import { cloudConfig, toYaml, YamlValue } from '../../src/compute/yaml';

/** What the `yaml` package reads back (YAML 1.2 core schema, as cloud-init's PyYAML reads these documents too). */
const roundTrip = (v: YamlValue) => parse(toYaml(v));

describe('toYaml', () => {
  test.each([
    ['0755', '"0755"'],
    ['root:root', 'root:root'],
    ['a: b', '"a: b"'],
    ['key:', '"key:"'],
    ['true', '"true"'],
    ['yes', '"yes"'],
    ['1e3', '"1e3"'],
    ['- x', '"- x"'],
    ['#c', '"#c"'],
    [' lead', '" lead"'],
    ['', '""'],
    ['/opt/photogrammetry/node-setup.sh', '/opt/photogrammetry/node-setup.sh'],
  ])('quotes %j only when it would read back as something else', (s, written) => {
    expect(toYaml({ k: s })).toBe(`k: ${written}\n`);
    expect(roundTrip({ k: s })).toEqual({ k: s });
  });

  test('multi-line strings are literal blocks with the chomping YAML needs', () => {
    expect(toYaml({ a: 'x\ny\n', b: 'x\ny', c: 'x\n\n' })).toBe('a: |\n  x\n  y\nb: |-\n  x\n  y\nc: |+\n  x\n\n');
  });

  test('a block whose first line starts with a space carries an indentation indicator', () => {
    const doc = { lead: '  indented\nx\n', list: [' lead\n more\n', { content: '  sp\nq\n' }] };
    expect(toYaml(doc)).toContain('lead: |2\n    indented\n  x\n');
    expect(roundTrip(doc)).toEqual(doc);
  });

  test('nested sequences and mappings, empty collections and non-string scalars', () => {
    const doc = { runcmd: [['bash', '/x/y.sh']], files: [{ path: '/a', content: 'x\n' }], t: [], u: {}, n: 1, b: false, z: null };
    expect(toYaml(doc)).toBe('runcmd:\n  - - bash\n    - /x/y.sh\nfiles:\n  - path: /a\n    content: |\n      x\nt: []\nu: {}\n"n": 1\nb: false\nz: null\n');
    expect(roundTrip(doc)).toEqual(doc);
  });

  test('control characters and carriage returns are written quoted, never raw', () => {
    const doc = { s: 'cr\r\nx', bell: 'a\u0007b\n', only: '\n\n' };
    expect(toYaml(doc)).not.toContain('\r');
    expect(toYaml(doc)).not.toContain('\u0007');
    expect(roundTrip(doc)).toEqual(doc);
  });

  test('refuses numbers YAML cannot carry', () => {
    expect(() => toYaml({ n: Number.NaN })).toThrow(/NaN/);
  });

  test('any document of strings, numbers, booleans, null, lists and maps reads back as itself', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'Z', '0', ' ', '\n', '\t', ':', '#', '-', '"', "'", '\\', '|', '>', '\r', 'é', '\u0007'),
      maxLength: 20,
    });
    const value: fc.Arbitrary<YamlValue> = fc.letrec<{ v: YamlValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        text,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(text, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(roundTrip(v)).toEqual(v);
      }),
      { numRuns: 400 },
    );
  });

  test('cloudConfig starts with the #cloud-config header', () => {
    expect(cloudConfig({ runcmd: [['true']] })).toBe('#cloud-config\nruncmd:\n  - - "true"\n');
  });
});
