/**
 * A Mermaid flowchart of the synthesized architecture: VNets and subnets as
 * nested boxes (name and CIDR on one line in the box title, so child boxes do
 * not hide it), the machines, caches and file systems inside their subnets,
 * the vault, the core filer and the DNS zone outside, and the relations
 * (peering, public IPs, core filer, mounts, secret reads, zone links). GitHub
 * renders it in Markdown and pull-request comments.
 */
import { blocks, firstBlock, type AppModel, type ModelResource } from './model';

const HOSTED: Record<string, string> = {
  azurerm_windows_virtual_machine: 'Windows VM',
  azurerm_linux_virtual_machine: 'Linux VM',
  azurerm_windows_virtual_machine_scale_set: 'Windows scale set',
  azurerm_linux_virtual_machine_scale_set: 'Linux scale set',
  avere_vfxt: 'Avere vFXT cache',
  azurerm_managed_lustre_file_system: 'Azure Managed Lustre',
  azurerm_netapp_volume: 'NetApp volume',
  azurerm_bastion_host: 'Azure Bastion',
  azurerm_private_endpoint: 'private endpoint',
};

const STANDALONE: Record<string, string> = {
  azurerm_key_vault: 'Key Vault',
  azurerm_storage_account: 'Storage account',
  azurerm_private_dns_zone: 'Private DNS zone',
  azurerm_public_ip: 'Public IP',
};

const FILE_SYSTEMS = new Set(['avere_vfxt', 'azurerm_managed_lustre_file_system', 'azurerm_netapp_volume']);
const MACHINES = new Set([
  'azurerm_windows_virtual_machine',
  'azurerm_linux_virtual_machine',
  'azurerm_windows_virtual_machine_scale_set',
  'azurerm_linux_virtual_machine_scale_set',
]);

/** Every string inside a value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/**
 * What a machine is told at boot: its configuration (custom data, user data) and the settings of the VM
 * extensions on it, with the stack's locals they use (`local.x`) spelled out.
 */
function bootText(model: AppModel, m: ModelResource): string[] {
  const texts = strings(m.config);
  for (const ext of model.resources) {
    if (ext.stack === m.stack && ext.type === 'azurerm_virtual_machine_extension' && model.resolve(ext.stack, ext.config.virtual_machine_id)?.key === m.key)
      texts.push(...strings(ext.config));
  }
  const locals = (model.stacks.find((s) => s.name === m.stack)?.json.locals ?? {}) as Record<string, unknown>;
  const used = new Set<string>();
  for (let i = 0; i < texts.length; i++) {
    for (const match of texts[i].matchAll(/\blocal\.([A-Za-z_][\w-]*)/g)) {
      if (used.has(match[1]) || !(match[1] in locals)) continue;
      used.add(match[1]);
      texts.push(...strings(locals[match[1]]));
    }
  }
  return texts;
}

/** IPv4 address plus `n`. */
function addIp(ip: string, n: number): string {
  const v = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0) + n;
  return [24, 16, 8, 0].map((shift) => Math.floor(v / 2 ** shift) % 256).join('.');
}

/** The addresses and DNS names clients mount a file system by, when the configuration spells them out. */
function mountAddresses(model: AppModel, f: ModelResource): string[] {
  const ips: string[] = [];
  const first = f.config.vserver_first_ip;
  if (typeof first === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(first)) {
    const count = typeof f.config.vserver_ip_count === 'number' ? f.config.vserver_ip_count : 1;
    for (let i = 0; i < count; i++) ips.push(addIp(first, i));
  }
  const names: string[] = [];
  for (const record of model.resources.filter((r) => r.type === 'azurerm_private_dns_a_record')) {
    if (!list(record.config.records).some((ip) => ips.includes(ip))) continue;
    const zone = model.resolve(record.stack, record.config.zone_name);
    const zoneName = zone ? zone.config.name : record.config.zone_name;
    if (typeof record.config.name === 'string' && typeof zoneName === 'string' && !zoneName.includes('${')) names.push(`${record.config.name}.${zoneName}`);
  }
  return [...ips, ...names];
}

/**
 * True when a machine mounts the file system: what it is told at boot refers to the file system (a Terraform
 * reference, e.g. a Lustre MGS address) or names one of its mount addresses (cache IPs, their DNS name).
 */
function mounts(model: AppModel, m: ModelResource, f: ModelResource): boolean {
  const texts = bootText(model, m);
  if (texts.some((t) => t.includes('${') && model.resolveAll(m.stack, t).some((r) => r.key === f.key))) return true;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = mountAddresses(model, f).map((a) => new RegExp(`(?<![\\w.-])${escape(a)}(?![\\w-]|\\.\\d)`, 'i'));
  return patterns.length > 0 && texts.some((t) => patterns.some((p) => p.test(t)));
}

/**
 * Machines whose identity may read a vault's secrets (a role assignment on the vault or on one of its secrets):
 * the machine, the vault and what it reads (the secret's name, or "secrets" for the whole vault).
 */
function secretReaders(model: AppModel): Array<[ModelResource, ModelResource, string]> {
  const found: Array<[ModelResource, ModelResource, string]> = [];
  for (const ra of model.resources.filter((r) => r.type === 'azurerm_role_assignment')) {
    const scope = model.resolve(ra.stack, ra.config.scope);
    const secret = scope?.type === 'azurerm_key_vault_secret' ? scope : undefined;
    const vault = secret ? model.resolve(secret.stack, secret.config.key_vault_id) : scope;
    const reader = model.resolve(ra.stack, ra.config.principal_id);
    if (vault?.type === 'azurerm_key_vault' && reader && MACHINES.has(reader.type)) found.push([reader, vault, secret ? displayName(secret) : 'secrets']);
  }
  return found;
}

/**
 * A label for a resource: its Azure name; a part computed at apply time (a random suffix) is shown as `…`
 * (`kv-pgm-…`). Only a name that is all expression falls back to the logical (Terraform) name.
 */
function displayName(r: ModelResource): string {
  for (const attr of ['name', 'vfxt_cluster_name']) {
    const v = r.config[attr];
    if (typeof v !== 'string') continue;
    const shown = v.replace(/\$\{[^}]*\}/g, '…');
    if (shown.replace(/…/g, '').trim() !== '') return shown;
  }
  return r.name;
}

/** A quoted Mermaid label; `<br/>` separates lines, every other `"`, `<`, `>` is escaped. */
function quote(text: string): string {
  const esc = (part: string) => part.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  return `"${text.split('<br/>').map(esc).join('<br/>')}"`;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

/** The subnet a hosted resource lives in. */
function subnetOf(model: AppModel, r: ModelResource, subnets: readonly ModelResource[]): ModelResource | undefined {
  const viaNic = (nicRef: unknown) => {
    const nic = model.resolve(r.stack, nicRef);
    return nic ? model.resolve(nic.stack, firstBlock(nic.config.ip_configuration)?.subnet_id) : undefined;
  };
  switch (r.type) {
    case 'azurerm_windows_virtual_machine':
    case 'azurerm_linux_virtual_machine':
      return list(r.config.network_interface_ids).map(viaNic).find(Boolean);
    case 'azurerm_windows_virtual_machine_scale_set':
    case 'azurerm_linux_virtual_machine_scale_set':
      return model.resolve(r.stack, firstBlock(firstBlock(r.config.network_interface)?.ip_configuration)?.subnet_id);
    case 'avere_vfxt': {
      const ref = model.resolve(r.stack, r.config.azure_subnet_name);
      return ref ?? subnets.find((s) => s.config.name === r.config.azure_subnet_name);
    }
    case 'azurerm_bastion_host':
      return model.resolve(r.stack, firstBlock(r.config.ip_configuration)?.subnet_id);
    default:
      return model.resolve(r.stack, r.config.subnet_id);
  }
}

/** What the vault and the storage accounts hold: secret names, container names. */
function contents(model: AppModel, r: ModelResource): string | undefined {
  const inside = (type: string, attrs: readonly string[]) =>
    model.resources.filter((c) => c.type === type && attrs.some((a) => model.resolve(c.stack, c.config[a])?.key === r.key)).map(displayName);
  if (r.type === 'azurerm_key_vault') {
    const secrets = inside('azurerm_key_vault_secret', ['key_vault_id']);
    if (secrets.length === 0) return 'secrets';
    const rows: string[] = []; // two names a line
    for (let i = 0; i < secrets.length; i += 2) rows.push(secrets.slice(i, i + 2).join(', '));
    return `${secrets.length} secret${secrets.length === 1 ? '' : 's'}: ${rows.join(',<br/>')}`;
  }
  if (r.type === 'azurerm_storage_account') {
    const containers = inside('azurerm_storage_container', ['storage_account_id', 'storage_account_name']);
    const filer = model.resources.some(
      (c) => c.type === 'avere_vfxt' && blocks(c.config.azure_storage_filer).some((f) => model.resolve(c.stack, f.account_name)?.key === r.key),
    );
    const hsm = model.resources.some((c) => {
      if (c.type !== 'azurerm_managed_lustre_file_system') return false;
      const container = model.resolve(c.stack, firstBlock(c.config.hsm_setting)?.container_id);
      return (
        container !== undefined &&
        [container.config.storage_account_id, container.config.storage_account_name].some((ref) => model.resolve(container.stack, ref)?.key === r.key)
      );
    });
    const what = filer ? 'core filer' : hsm ? 'Lustre HSM store' : 'Blob storage';
    return containers.length > 0 ? `${what}: ${containers.join(', ')}` : what;
  }
  return undefined;
}

function label(r: ModelResource, model?: AppModel): string {
  const kind = HOSTED[r.type] ?? STANDALONE[r.type] ?? r.type;
  const name = displayName(r);
  const held = model && contents(model, r);
  if (held) return `${kind}<br/>${name}<br/>${held}`;
  const size = r.config.size ?? r.config.sku;
  if (r.type.endsWith('_scale_set')) return `${kind}<br/>${name}<br/>${String(r.config.instances ?? '?')} × ${String(size)}`;
  if (r.type === 'avere_vfxt') return `${kind}<br/>${name}<br/>${String(r.config.vfxt_node_count ?? '?')} nodes`;
  if (r.type === 'azurerm_managed_lustre_file_system')
    return `${kind}<br/>${name}<br/>${String(r.config.storage_capacity_in_tb ?? '?')} TiB ${String(r.config.sku_name ?? '')}`;
  if (r.type === 'azurerm_netapp_volume')
    return `${kind}<br/>${name}<br/>${String(r.config.storage_quota_in_gb ?? '?')} GiB ${String(r.config.service_level ?? '')} NFSv3`;
  return size ? `${kind}<br/>${name}<br/>${String(size)}` : `${kind}<br/>${name}`;
}

/** The Mermaid source (`flowchart LR …`). */
export function architectureDiagram(model: AppModel): string {
  const ids = new Map<string, string>();
  const id = (r: ModelResource) => {
    if (!ids.has(r.key)) ids.set(r.key, `r${ids.size}`);
    return ids.get(r.key)!;
  };
  const of = (type: string) => model.resources.filter((r) => r.type === type);
  const vnets = of('azurerm_virtual_network');
  const subnets = of('azurerm_subnet');
  const hosted = model.resources.filter((r) => HOSTED[r.type]);
  const placed = new Map<string, ModelResource[]>(); // subnet key → resources
  const unplaced: ModelResource[] = [];
  for (const r of hosted) {
    const subnet = subnetOf(model, r, subnets);
    if (subnet) placed.set(subnet.key, [...(placed.get(subnet.key) ?? []), r]);
    else unplaced.push(r);
  }

  const lines = ['flowchart LR'];
  const subnetsByVnet = new Map<string, ModelResource[]>();
  const orphanSubnets: ModelResource[] = [];
  for (const s of subnets) {
    const vnet = model.resolve(s.stack, s.config.virtual_network_name);
    if (vnet) subnetsByVnet.set(vnet.key, [...(subnetsByVnet.get(vnet.key) ?? []), s]);
    else orphanSubnets.push(s);
  }
  const writeSubnet = (s: ModelResource, indent: string) => {
    lines.push(`${indent}subgraph ${id(s)}[${quote(`subnet ${displayName(s)} ${list(s.config.address_prefixes).join(', ')}`)}]`);
    for (const r of placed.get(s.key) ?? []) lines.push(`${indent}  ${id(r)}[${quote(label(r))}]`);
    lines.push(`${indent}end`);
  };
  for (const v of vnets) {
    lines.push(`  subgraph ${id(v)}[${quote(`VNet ${displayName(v)} ${list(v.config.address_space).join(', ')}`)}]`);
    for (const s of subnetsByVnet.get(v.key) ?? []) writeSubnet(s, '    ');
    lines.push('  end');
  }
  for (const s of orphanSubnets) writeSubnet(s, '  ');
  for (const r of unplaced) lines.push(`  ${id(r)}[${quote(label(r))}]`);
  const standalone = model.resources.filter((r) => STANDALONE[r.type]);
  for (const r of standalone) {
    const shape = r.type === 'azurerm_storage_account' ? [`[(`, `)]`] : r.type === 'azurerm_key_vault' ? ['{{', '}}'] : ['([', '])'];
    lines.push(`  ${id(r)}${shape[0]}${quote(label(r, model))}${shape[1]}`);
  }

  // Relations.
  const edges = new Set<string>();
  const edge = (from: ModelResource | undefined, arrow: string, to: ModelResource | undefined) => {
    if (from && to && from.key !== to.key) edges.add(`  ${id(from)} ${arrow} ${id(to)}`);
  };
  const peered = new Set<string>();
  for (const p of of('azurerm_virtual_network_peering')) {
    const a = model.resolve(p.stack, p.config.virtual_network_name);
    const b = model.resolve(p.stack, p.config.remote_virtual_network_id);
    if (!a || !b) continue;
    const pair = [a.key, b.key].sort().join('|');
    if (peered.has(pair)) continue;
    peered.add(pair);
    edge(a, '<-- peering -->', b);
  }
  for (const nic of of('azurerm_network_interface')) {
    for (const ipc of blocks(nic.config.ip_configuration)) {
      const pip = model.resolve(nic.stack, ipc.public_ip_address_id);
      const vm = hosted.find((r) => list(r.config.network_interface_ids).some((ref) => model.resolve(r.stack, ref)?.key === nic.key));
      edge(pip, '-->', vm);
    }
  }
  for (const b of of('azurerm_bastion_host')) edge(model.resolve(b.stack, firstBlock(b.config.ip_configuration)?.public_ip_address_id), '-->', b);
  for (const cache of of('avere_vfxt')) {
    for (const filer of blocks(cache.config.azure_storage_filer)) {
      const account = model.resolve(cache.stack, filer.account_name) ?? of('azurerm_storage_account').find((a) => a.config.name === filer.account_name);
      edge(cache, '-- core filer -->', account);
    }
  }
  for (const fs of of('azurerm_managed_lustre_file_system')) {
    const container = model.resolve(fs.stack, firstBlock(fs.config.hsm_setting)?.container_id);
    const account =
      container &&
      (model.resolve(container.stack, container.config.storage_account_id) ?? model.resolve(container.stack, container.config.storage_account_name));
    edge(fs, '-- HSM -->', account);
  }
  const fileSystems = hosted.filter((r) => FILE_SYSTEMS.has(r.type));
  const machines = hosted.filter((r) => MACHINES.has(r.type));
  for (const m of machines) for (const f of fileSystems) if (mounts(model, m, f)) edge(m, '-- mounts -->', f);
  for (const [reader, vault, what] of secretReaders(model)) edge(reader, `-. ${quote(`reads ${what}`)} .->`, vault);
  for (const link of of('azurerm_private_dns_zone_virtual_network_link')) {
    edge(model.resolve(link.stack, link.config.private_dns_zone_name), '-.-', model.resolve(link.stack, link.config.virtual_network_id));
  }
  lines.push(...[...edges].sort());
  return `${lines.join('\n')}\n`;
}
