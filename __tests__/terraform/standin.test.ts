/**
 * The stand-in providers' own parts: the wire codecs, and how much of the real
 * provider schema the derivation recovers from the installed packages.
 */
import { decode, encode, Unknown, Value } from '../../src/terraform/msgpack';
import { fieldBytes, fieldNumber, fieldString, ProtoWriter, readMessage } from '../../src/terraform/protobuf';
import { packageProviderSchema } from '../../src/terraform/harness';
import { blockType } from '../../src/terraform/standin-provider';
import { terraformForTests } from '../support/terraform';
import { AZURERM_VERSION, RANDOM_VERSION } from '../support/toolchain';

describe('msgpack (cty wire values)', () => {
  test('round-trips every shape terraform sends, unknowns byte for byte', () => {
    const refined = new Unknown(Buffer.from([0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2])); // unknown, refined "not null"
    const value: Value = {
      s: 'x'.repeat(40),
      long: 'y'.repeat(70000),
      n: [0, 127, 128, -1, -33, 65536, 2 ** 40, -(2 ** 40), 1.5],
      b: [true, false, null],
      u: Unknown.PLAIN,
      r: refined,
      dyn: [Buffer.from('"string"'), 'v'],
      nested: { list: [{ a: 1 }, { a: 2 }], many: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])) },
    };
    const back = decode(encode(value)) as Record<string, Value>;
    expect(back.u).toBeInstanceOf(Unknown);
    expect((back.r as Unknown).raw).toEqual(refined.raw);
    expect(encode(back)).toEqual(encode(value));
    expect(back.n).toEqual(value.n as Value[]);
    expect((back.long as string).length).toBe(70000);
  });

  test('refuses extensions that are not unknowns, and trailing bytes', () => {
    expect(() => decode(Buffer.from([0xd4, 0x05, 0x00]))).toThrow(/extension type 5/);
    expect(() => decode(Buffer.from([0xc0, 0xc0]))).toThrow(/trailing/);
  });
});

describe('protobuf', () => {
  test('writes and reads varints, strings, bytes and nested messages; omits proto3 defaults', () => {
    const bytes = new ProtoWriter()
      .bytes(1, 'azurerm_virtual_network')
      .varint(2, 300)
      .varint(3, false)
      .message(4, (m) => m.bytes(1, Buffer.from([1, 2, 3])).varint(2, -1))
      .finish();
    const f = readMessage(bytes);
    expect(fieldString(f, 1)).toBe('azurerm_virtual_network');
    expect(fieldNumber(f, 2)).toBe(300);
    expect(f.has(3)).toBe(false);
    const inner = readMessage(fieldBytes(f, 4)!);
    expect([...fieldBytes(inner, 1)!]).toEqual([1, 2, 3]);
    expect(fieldNumber(inner, 2)).toBe(-1);
  });
});

describe('schemas derived from the provider packages', () => {
  const azurerm = packageProviderSchema('@cdktf/provider-azurerm', {
    resources: [
      'azurerm_virtual_network',
      'azurerm_linux_virtual_machine',
      'azurerm_network_security_group',
      'azurerm_kubernetes_cluster',
      'azurerm_netapp_volume',
      'azurerm_no_such_thing',
    ],
    dataSources: ['azurerm_client_config'],
  })!;
  const random = packageProviderSchema('@cdktf/provider-random', { resources: ['random_password'], dataSources: [] })!;
  const r = azurerm.schema.resource_schemas;

  test('name the provider and the version the package was generated for', () => {
    expect(azurerm.source).toBe('registry.terraform.io/hashicorp/azurerm');
    expect(azurerm.version).toBe(AZURERM_VERSION);
    expect(random.version).toBe(RANDOM_VERSION);
    expect(random.source).toBe('registry.terraform.io/hashicorp/random');
  });

  test('recover set vs list for primitive collections, and maps', () => {
    const vnet = r.azurerm_virtual_network.block.attributes!;
    expect(vnet.address_space.type).toEqual(['set', 'string']);
    expect(vnet.dns_servers.type).toEqual(['list', 'string']);
    expect(vnet.tags.type).toEqual(['map', 'string']);
    expect(vnet.location).toEqual({ type: 'string', required: true });
  });

  test('recover block nesting: set blocks, list blocks of at most one, required blocks, single blocks', () => {
    const vm = r.azurerm_linux_virtual_machine.block.block_types!;
    expect(vm.os_disk).toMatchObject({ nesting_mode: 'list', min_items: 1, max_items: 1 });
    expect(vm.identity).toMatchObject({ nesting_mode: 'list', max_items: 1 });
    expect(vm.timeouts.nesting_mode).toBe('single');
    expect(r.azurerm_network_security_group.block.block_types!.security_rule.nesting_mode).toBe('set');
    expect(r.azurerm_virtual_network.block.block_types!.subnet.nesting_mode).toBe('set');
  });

  test('recover read-only attributes with exact names and types, at every depth', () => {
    expect(r.azurerm_virtual_network.block.attributes!.guid).toEqual({ type: 'string', computed: true });
    expect(r.azurerm_linux_virtual_machine.block.block_types!.identity.block.attributes!.principal_id).toEqual({ type: 'string', computed: true });
    expect(r.azurerm_netapp_volume.block.attributes!.mount_ip_addresses).toEqual({ type: ['list', 'string'], computed: true });
    const kubeConfig = r.azurerm_kubernetes_cluster.block.attributes!.kube_config;
    expect(kubeConfig.computed).toBe(true);
    expect(kubeConfig.type).toEqual(['list', ['object', expect.objectContaining({ host: 'string', client_key: 'string' })]]);
    expect(azurerm.schema.data_source_schemas.azurerm_client_config.block.attributes!.tenant_id).toEqual({ type: 'string', computed: true });
  });

  test('serve optional arguments as optional + computed, secrets as sensitive (by name), the provider block without computed', () => {
    expect(r.azurerm_virtual_network.block.attributes!.bgp_community).toEqual({ type: 'string', optional: true, computed: true });
    expect(random.schema.resource_schemas.random_password.block.attributes!.result).toEqual({ type: 'string', computed: true, sensitive: true });
    expect(Object.values(azurerm.schema.provider.block.attributes!).some((a) => a.computed)).toBe(false);
  });

  test('leave out types the package does not have (terraform then reports them unsupported)', () => {
    expect(r.azurerm_no_such_thing).toBeUndefined();
  });

  test('imply the value type of a block', () => {
    expect(
      blockType({
        attributes: { a: { type: 'string', optional: true } },
        block_types: { b: { nesting_mode: 'set', block: { attributes: { c: { type: 'number', required: true } } } } },
      }),
    ).toEqual(['object', { a: 'string', b: ['set', ['object', { c: 'number' }]] }]);
  });
});

describe('without a terraform binary', () => {
  test('the terraform tests are skipped with the reason, and under CI=true they fail', () => {
    const notes = process.env.PGM_TEST_NOTES_DIR;
    delete process.env.PGM_TEST_NOTES_DIR; // this probe's SKIPPED note is not one for the run's summary
    try {
      expect(terraformForTests('probe', { PATH: '/nonexistent' })).toBeUndefined();
    } finally {
      if (notes) process.env.PGM_TEST_NOTES_DIR = notes;
    }
    expect(() => terraformForTests('probe', { PATH: '/nonexistent', CI: 'true' })).toThrow(
      /probe: no terraform binary \(terraform\) on PATH.*CI=true: terraform is required/,
    );
  });
});
