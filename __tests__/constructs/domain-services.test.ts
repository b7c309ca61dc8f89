import { Password } from '@cdktf/provider-random/lib/password';
import { TerraformStack } from 'cdktf';
import { DomainServices, DomainServicesProps } from '../../constructs/domain-services';
import { HpcNetwork } from '../../constructs/hpc-network';
import { ensureRandomProvider } from '../../constructs/providers';
import { parseConfig } from '../../src/config/load';
import { renderDcPromotionScript } from '../../src/identity/dc-script';
import { Naming } from '../../src/naming';
import { resourcesOf, synthApp, synthInStack } from '../support/synth';

const app = synthApp();
const net = app.stacks.network;
const byName = (type: string) => Object.fromEntries(resourcesOf(net, type).map(([logical, r]) => [r.name ?? logical, { logical, ...r }]));

describe('domain controllers', () => {
  const vms = byName('azurerm_windows_virtual_machine');
  const nics = byName('azurerm_network_interface');

  test('two Windows Server 2022 DCs in zones 1 and 2, encrypted at host, boot diagnostics, no public IP, domain admin password by reference', () => {
    expect(Object.keys(vms).sort()).toEqual(['vm-pgm-dc01', 'vm-pgm-dc02']);
    ['1', '2'].forEach((zone, i) => {
      const vm = vms[`vm-pgm-dc0${i + 1}`];
      expect(vm).toMatchObject({
        computer_name: `pgm-dc0${i + 1}`,
        size: 'Standard_D2s_v5',
        zone,
        admin_username: 'pgmadmin',
        encryption_at_host_enabled: true,
        boot_diagnostics: {},
        os_disk: { caching: 'ReadWrite', storage_account_type: 'Premium_LRS' },
        source_image_reference: { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-g2', version: 'latest' },
        tags: expect.objectContaining({ stack: 'network' }),
      });
      expect(vm.admin_password).toMatch(/^\$\{random_password\.secrets_domain-admin-password-value_\w+\.result\}$/);
    });
    expect(resourcesOf(net, 'azurerm_public_ip')).toEqual([]);
    expect(resourcesOf(net, 'azurerm_availability_set')).toEqual([]);
  });

  test('static addresses 10.0.2.4 / 10.0.2.5 in the AD subnet; DC-02 resolves through DC-01', () => {
    expect(nics['nic-pgm-dc01'].ip_configuration).toEqual([
      {
        name: 'ipconfig',
        subnet_id: expect.stringMatching(/azurerm_subnet\.hpc-network_ad-subnet_\w+\.id/),
        private_ip_address_allocation: 'Static',
        private_ip_address: '10.0.2.4',
      },
    ]);
    expect(nics['nic-pgm-dc02'].ip_configuration[0].private_ip_address).toBe('10.0.2.5');
    expect(nics['nic-pgm-dc01'].dns_servers).toBeUndefined();
    expect(nics['nic-pgm-dc02'].dns_servers).toEqual(['10.0.2.4']);
  });

  test('a 32 GiB data disk per DC, attached at LUN 0 with host caching None, in the DC zone', () => {
    const disks = byName('azurerm_managed_disk');
    expect(Object.keys(disks).sort()).toEqual(['disk-pgm-dc01-adds', 'disk-pgm-dc02-adds']);
    expect(disks['disk-pgm-dc01-adds']).toMatchObject({ disk_size_gb: 32, create_option: 'Empty', storage_account_type: 'Premium_LRS', zone: '1' });
    const attachments = resourcesOf(net, 'azurerm_virtual_machine_data_disk_attachment').map(([, a]) => a);
    expect(attachments).toHaveLength(2);
    for (const a of attachments) expect(a).toMatchObject({ lun: 0, caching: 'None' });
  });

  test('promotion: DC-01 creates the forest, DC-02 replicates after it; passwords only as protected parameters', () => {
    const commands = Object.fromEntries(resourcesOf(net, 'azurerm_virtual_machine_run_command').map(([, r]) => [r.name, r]));
    const forest = commands['promote-forest'];
    const replica = commands['promote-replica'];
    expect(forest.virtual_machine_id).toBe(`\${azurerm_windows_virtual_machine.${vms['vm-pgm-dc01'].logical}.id}`);
    expect(forest.protected_parameter).toEqual([
      { name: 'SafeModePassword', value: expect.stringMatching(/^\$\{random_password\.secrets_dsrm-password-value_\w+\.result\}$/) },
    ]);
    expect(replica.protected_parameter.map((p: { name: string }) => p.name)).toEqual(['SafeModePassword', 'AdminPassword']);
    expect(replica.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^azurerm_virtual_machine_run_command\.domain_dc01-promote_/)]));
    expect(forest.parameter).toBeUndefined();
    expect(forest.source.script).toContain("$Mode = 'forest'");
    expect(replica.source.script).toContain("$Mode = 'replica'");
    expect(forest.source.script).toContain("$DomainName = 'photoscan.local'");
    expect(forest.source.script).toContain("$Forwarder = '168.63.129.16'");
  });

  test('both VNets use the DCs as DNS, only after both promotions', () => {
    const dns = resourcesOf(net, 'azurerm_virtual_network_dns_servers').map(([, r]) => r);
    expect(dns).toHaveLength(2);
    for (const d of dns) {
      expect(d.dns_servers).toEqual(['10.0.2.4', '10.0.2.5']);
      expect(d.depends_on).toEqual([expect.stringMatching(/dc01-promote/), expect.stringMatching(/dc02-promote/)]);
    }
  });

  test('a private DNS zone linked to both VNets without auto-registration', () => {
    expect(byName('azurerm_private_dns_zone')['hpc.internal']).toBeDefined();
    const links = resourcesOf(net, 'azurerm_private_dns_zone_virtual_network_link').map(([, l]) => l);
    expect(links.map((l) => l.name).sort()).toEqual(['pdnslink-pgm-photoscan', 'pdnslink-pgm-storage']);
    for (const l of links)
      expect(l).toMatchObject({ registration_enabled: false, private_dns_zone_name: expect.stringMatching(/azurerm_private_dns_zone\.\S+\.name/) });
  });
});

test('a region without zones: an availability set (2 fault / 5 update domains) instead', () => {
  const a = synthApp({ location: 'westus' });
  const [[, set]] = resourcesOf(a.stacks.network, 'azurerm_availability_set');
  expect(set).toMatchObject({ platform_fault_domain_count: 2, platform_update_domain_count: 5, managed: true });
  for (const [, vm] of resourcesOf(a.stacks.network, 'azurerm_windows_virtual_machine')) {
    expect(vm.zone).toBeUndefined();
    expect(vm.availability_set_id).toMatch(/azurerm_availability_set/);
  }
});

test('explicit network.dnsServers win: the VNets keep them, the DCs do not take over', () => {
  const a = synthApp({ network: { dnsServers: ['10.0.2.10'] } });
  const dns = resourcesOf(a.stacks.network, 'azurerm_virtual_network_dns_servers').map(([, r]) => r.dns_servers);
  expect(dns).toEqual([['10.0.2.10'], ['10.0.2.10']]);
});

describe('publishRoundRobin and joinDomain, used from another stack', () => {
  function build(extra: (d: DomainServices, other: TerraformStack) => void) {
    return synthInStack((stack) => {
      ensureRandomProvider(stack);
      const pw = new Password(stack, 'pw', { length: 24 }).result;
      const network = new HpcNetwork(stack, 'net', { naming: new Naming('pgm'), location: 'eastus' });
      const d = new DomainServices(stack, 'ad', {
        naming: new Naming('pgm'),
        location: 'eastus',
        resourceGroupName: 'rg',
        network,
        adminPassword: pw,
        safeModePassword: pw,
      });
      extra(d, stack);
    });
  }

  test('round robin: one A record set with every address', () => {
    let fqdn = '';
    const json = build(
      (d, stack) => ({ fqdn } = d.publishRoundRobin(stack, 'vfxt', { name: 'vfxt', addresses: ['10.1.0.17', '10.1.0.18', '10.1.0.19', '10.1.0.20'] })),
    );
    expect(fqdn).toBe('vfxt.hpc.internal');
    const [[, rec]] = resourcesOf(json, 'azurerm_private_dns_a_record');
    expect(rec).toMatchObject({ name: 'vfxt', ttl: 60, records: ['10.1.0.17', '10.1.0.18', '10.1.0.19', '10.1.0.20'], resource_group_name: 'rg' });
    expect(rec.zone_name).toMatch(/azurerm_private_dns_zone\.\S+\.name/);
  });

  test('round robin: bad name or addresses are errors naming the field', () => {
    expect(() => build((d, s) => d.publishRoundRobin(s, 'x', { name: 'bad_name', addresses: ['10.1.0.1'] }))).toThrow(/name: "bad_name" is not a DNS label/);
    expect(() => build((d, s) => d.publishRoundRobin(s, 'x', { name: 'ok', addresses: [] }))).toThrow(/addresses: at least one address/);
    expect(() => build((d, s) => d.publishRoundRobin(s, 'x', { name: 'ok', addresses: ['10.1.0.300'] }))).toThrow(
      /addresses\[0\]: "10.1.0.300" is not an IPv4 address/,
    );
  });

  test('joinDomain in the same stack waits for both promotions', () => {
    const json = build((d, stack) => d.joinDomain(stack, 'join', { virtualMachineId: 'vm-id' }));
    const [[, ext]] = resourcesOf(json, 'azurerm_virtual_machine_extension');
    expect(JSON.parse(ext.settings)).toMatchObject({ Name: 'photoscan.local', User: 'photoscan.local\\pgmadmin' });
    expect(ext.depends_on).toEqual([expect.stringMatching(/dc01-promote/), expect.stringMatching(/dc02-promote/)]);
  });
});

describe('bad input → an error naming the field', () => {
  const base = (stack: TerraformStack): Omit<DomainServicesProps, 'network'> & { network: HpcNetwork } => {
    ensureRandomProvider(stack);
    const pw = new Password(stack, 'pw', { length: 24 }).result;
    return {
      naming: new Naming('pgm'),
      location: 'eastus',
      resourceGroupName: 'rg',
      network: new HpcNetwork(stack, 'net', { naming: new Naming('pgm'), location: 'eastus' }),
      adminPassword: pw,
      safeModePassword: pw,
    };
  };
  test.each([
    [{ domainName: 'photoscan' }, /domainName: "photoscan" is not a valid domain name/],
    [{ domainName: 'photo_scan.local' }, /domainName/],
    [{ netbiosName: 'PHOTOSCANDOMAIN1' }, /netbiosName: "PHOTOSCANDOMAIN1" is not a valid NetBIOS domain name/],
    [{ netbiosName: 'SYSTEM' }, /netbiosName: "SYSTEM" is reserved/],
    [{ controllerIps: ['10.0.1.4', '10.0.2.5'] }, /controllerIps\[0\]: "10.0.1.4" is outside the AD subnet "10.0.2.0\/24"/],
    [{ controllerIps: ['10.0.2.4', '10.0.2.4'] }, /controllerIps\[1\]: "10.0.2.4" is already used by controllerIps\[0\] \(DC-01\)/],
    [{ controllerIps: ['10.0.2.1', '10.0.2.5'] }, /controllerIps\[0\]: "10.0.2.1" is reserved by Azure/],
    [{ privateDnsZoneName: 'cache.photoscan.local' }, /privateDnsZoneName: "cache.photoscan.local" is the AD domain or under it/],
    [{ adminUsername: 'administrator' }, /adminUsername: "administrator" is reserved/],
    [{ availabilityZones: ['1', '1'] }, /availabilityZones/],
    [{ adminPassword: 'Literal-Passw0rd!' }, /adminPassword: must be a Terraform reference/],
    [{ safeModePassword: 'Literal-Passw0rd!' }, /safeModePassword: must be a Terraform reference/],
    [{ controllerIps: ['10.0.2.4', '10.0.2.5', '10.0.2.6'] }, /controllerIps: has 3 addresses; exactly 2 are needed/],
    [{ dataDiskSizeGb: 4 }, /dataDiskSizeGb: 4 is not allowed; use 8–1024 GiB/],
    [{ privateDnsZoneName: 'hpc' }, /privateDnsZoneName: "hpc" is not a valid domain name/],
    [{ controllerSize: 'Standard_D2_v5' }, /controllerSize: "Standard_D2_v5" has no premium storage/],
  ] as Array<[Partial<DomainServicesProps>, RegExp]>)('%j', (props, message) => {
    expect(() => synthInStack((stack) => new DomainServices(stack, 'ad', { ...base(stack), ...props }))).toThrow(message);
  });

  test.each([
    [{ domain: { name: 'local' } }, /domain.name: "local" is not a valid domain name/],
    [{ domain: { netbiosName: 'WAY-TOO-LONG-NAME' } }, /domain.netbiosName/],
    [{ domain: { privateDnsZoneName: 'photoscan.local' } }, /domain.privateDnsZoneName: "photoscan.local" is the AD domain/],
    [{ addressPlan: { domainControllerIps: ['10.0.2.4', '10.0.2.4'] } }, /addressPlan.domainControllerIps\[1\]: "10.0.2.4" is already used/],
    [{ addressPlan: { domainControllerIps: ['10.0.0.4', '10.0.2.5'] } }, /addressPlan.domainControllerIps\[0\]: "10.0.0.4" is outside adSubnet/],
    [{ secrets: { keyVaultName: 'my_vault' } }, /secrets.keyVaultName: "my_vault" is not a valid Key Vault name/],
    [{ secrets: { softDeleteRetentionDays: 120 } }, /secrets.softDeleteRetentionDays: 120 days is not allowed/],
    [{ secrets: { licensing: 'license-server' } }, /secrets.licenseServer: is required/],
    [{ domain: { availabilityZones: ['2', '2'] } }, /domain.availabilityZones: both domain controllers in zone 2/],
    [{ domain: { adminUsername: 'root' } }, /domain.adminUsername: "root" is reserved by Azure/],
    [{ domain: { netbiosName: 'SYSTEM' } }, /domain.netbiosName: "SYSTEM" is reserved by Windows/],
    [{ domain: { name: 'photo_scan.local' } }, /domain.name: "photo_scan.local" is not a valid domain name/],
    [{ domain: { privateDnsZoneName: 'zone.PhotoScan.local' } }, /domain.privateDnsZoneName: "zone.PhotoScan.local" is the AD domain/],
    [{ domain: { dataDiskSizeGb: 2048 } }, /domain.dataDiskSizeGb: 2048 is not allowed; use 8–1024 GiB/],
    [{ domain: { controllerSize: 'Standard_A2_v2' } }, /domain.controllerSize: "Standard_A2_v2" has no premium storage/],
    [{ addressPlan: { domainControllerIps: ['10.0.2.4', '10.0.3.5'] } }, /addressPlan.domainControllerIps\[1\]: "10.0.3.5" is outside adSubnet/],
    [{ secrets: { keyVaultName: 'kv--x' } }, /secrets.keyVaultName: "kv--x" is not a valid Key Vault name/],
    [{ secrets: { softDeleteRetentionDays: 6 } }, /secrets.softDeleteRetentionDays: 6 days is not allowed/],
  ])('config %j', (input, message) => {
    expect(() => parseConfig(input)).toThrow(message);
  });
});

describe('the promotion script', () => {
  const params = { mode: 'forest' as const, domainName: 'photoscan.local', netbiosName: 'PHOTOSCAN', adminUsername: 'pgmadmin', firstDcIp: '10.0.2.4' };

  test('parameters are single-quoted literals; passwords are script parameters, never values', () => {
    const script = renderDcPromotionScript(params, false);
    expect(script).toMatch(/param\(\s*\[Parameter\(Mandatory = \$true\)\]\[string\] \$SafeModePassword,\s*\[string\] \$AdminPassword = ''\s*\)/);
    expect(script).toContain("$NetbiosName = 'PHOTOSCAN'");
    expect(script).toContain("$AdminUser = 'pgmadmin'");
    expect(script).toContain("$FirstDc = '10.0.2.4'");
    expect(script).toContain("$DataDrive = 'F'");
    expect(script).not.toMatch(/\{\{/);
  });

  test('hostile values cannot break out of their literal', () => {
    const script = renderDcPromotionScript({ ...params, domainName: "x'; Remove-Item C:\\ -Recurse; '" }, false);
    expect(script).toContain("$DomainName = 'x''; Remove-Item C:\\ -Recurse; '''");
  });

  test('for Terraform, no unescaped template sequence remains', () => {
    const script = renderDcPromotionScript(params);
    expect(script.replace(/\$\$\{|%%\{/g, '')).not.toMatch(/\$\{|%\{/);
  });

  test('replica mode: waits for DC-01 (LDAP and DNS), joins with NETBIOS\\admin; forwarder and drive are parameters', () => {
    const script = renderDcPromotionScript({ ...params, mode: 'replica', dnsForwarder: '10.9.9.9', dataDrive: 'G' }, false);
    expect(script).toContain("$Mode = 'replica'");
    expect(script).toContain("$Forwarder = '10.9.9.9'");
    expect(script).toContain("$DataDrive = 'G'");
    expect(script).toMatch(/Test-NetConnection -ComputerName \$FirstDc -Port 389/);
    expect(script).toMatch(/Resolve-DnsName -Name \$DomainName -Server \$FirstDc/);
    expect(script).toContain("($NetbiosName + '\\' + $AdminUser)");
    expect(script).toMatch(/Install-ADDSDomainController -DomainName \$DomainName -Credential \$credential/);
    expect(script).toContain('Set-DnsServerForwarder -IPAddress $Forwarder');
    // The password parameters are only declared and used, never given a value in the text.
    expect(script).not.toMatch(/\$(SafeModePassword|AdminPassword)\s*=\s*'[^']/);
  });

  test('in the stack: no password reference inside either script text', () => {
    for (const [, c] of resourcesOf(net, 'azurerm_virtual_machine_run_command')) {
      expect(c.source.script).not.toMatch(/random_password|var\./);
      expect(c.source.script).toContain("$NetbiosName = 'PHOTOSCAN'");
    }
  });

  test('is idempotent and keeps NTDS/SYSVOL on the data disk', () => {
    const script = renderDcPromotionScript(params, false);
    expect(script).toContain('DomainRole -ge 4');
    expect(script).toMatch(/-DatabasePath \$ntds -LogPath \$ntds `\n\s+-SysvolPath \$sysvol/);
  });
});
