/**
 * A Mermaid flowchart of the synthesized architecture: VNets and subnets as
 * nested boxes, the machines, caches and file systems inside their subnets,
 * the vault, the core filer and the DNS zone outside, and the relations
 * (peering, public IPs, core filer, mounts, zone links). GitHub renders it in
 * Markdown and pull-request comments.
 */
import { blocks, firstBlock, type AppModel, type ModelResource } from './model';

const HOSTED: Record<string, string> = {
  azurerm_windows_virtual_machine: 'Windows VM',
  azurerm_linux_virtual_machine: 'Linux VM',
  azurerm_windows_virtual_machine_scale_set: 'Windows scale set',
  azurerm_linux_virtual_machine_scale_set: 'Linux scale set',
  avere_vfxt: 'Avere vFXT cache',
  azurerm_managed_lustre_file_system: 'Azure Managed Lustre',
  azurerm_bastion_host: 'Azure Bastion',
  azurerm_private_endpoint: 'private endpoint',
};

const STANDALONE: Record<string, string> = {
  azurerm_key_vault: 'Key Vault',
  azurerm_storage_account: 'Storage account',
  azurerm_private_dns_zone: 'Private DNS zone',
  azurerm_public_ip: 'Public IP',
};

const FILE_SYSTEMS = new Set(['avere_vfxt', 'azurerm_managed_lustre_file_system']);

/** A label for a resource: its Azure name when literal, else its logical name. */
function displayName(r: ModelResource): string {
  for (const attr of ['name', 'vfxt_cluster_name']) {
    const v = r.config[attr];
    if (typeof v === 'string' && !v.includes('${')) return v;
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

function label(r: ModelResource): string {
  const kind = HOSTED[r.type] ?? STANDALONE[r.type] ?? r.type;
  const name = displayName(r);
  const size = r.config.size ?? r.config.sku;
  if (r.type.endsWith('_scale_set')) return `${kind}<br/>${name}<br/>${String(r.config.instances ?? '?')} × ${String(size)}`;
  if (r.type === 'avere_vfxt') return `${kind}<br/>${name}<br/>${String(r.config.vfxt_node_count ?? '?')} nodes`;
  if (r.type === 'azurerm_managed_lustre_file_system') return `${kind}<br/>${name}<br/>${String(r.config.storage_capacity_in_tb ?? '?')} TiB ${String(r.config.sku_name ?? '')}`;
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
    lines.push(`${indent}subgraph ${id(s)}[${quote(`subnet ${displayName(s)}<br/>${list(s.config.address_prefixes).join(', ')}`)}]`);
    for (const r of placed.get(s.key) ?? []) lines.push(`${indent}  ${id(r)}[${quote(label(r))}]`);
    lines.push(`${indent}end`);
  };
  for (const v of vnets) {
    lines.push(`  subgraph ${id(v)}[${quote(`VNet ${displayName(v)}<br/>${list(v.config.address_space).join(', ')}`)}]`);
    for (const s of subnetsByVnet.get(v.key) ?? []) writeSubnet(s, '    ');
    lines.push('  end');
  }
  for (const s of orphanSubnets) writeSubnet(s, '  ');
  for (const r of unplaced) lines.push(`  ${id(r)}[${quote(label(r))}]`);
  const standalone = model.resources.filter((r) => STANDALONE[r.type]);
  for (const r of standalone) {
    const shape = r.type === 'azurerm_storage_account' ? [`[(`, `)]`] : r.type === 'azurerm_key_vault' ? ['{{', '}}'] : ['([', '])'];
    lines.push(`  ${id(r)}${shape[0]}${quote(label(r))}${shape[1]}`);
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
    const account = container && (model.resolve(container.stack, container.config.storage_account_id) ?? model.resolve(container.stack, container.config.storage_account_name));
    edge(fs, '-- HSM -->', account);
  }
  const fileSystems = hosted.filter((r) => FILE_SYSTEMS.has(r.type));
  for (const set of hosted.filter((r) => r.type.endsWith('_scale_set'))) for (const f of fileSystems) edge(set, '-- mounts -->', f);
  for (const link of of('azurerm_private_dns_zone_virtual_network_link')) {
    edge(model.resolve(link.stack, link.config.private_dns_zone_name), '-.-', model.resolve(link.stack, link.config.virtual_network_id));
  }
  lines.push(...[...edges].sort());
  return `${lines.join('\n')}\n`;
}
