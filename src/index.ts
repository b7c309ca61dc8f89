/**
 * cdktf-azure-photogrammetry: CDK for Terraform constructs for a photogrammetry
 * HPC environment on Azure. Import from here; every provider type the library
 * uses is imported from `@cdktf/provider-azurerm/lib/<resource>`, never the
 * package root, so consumers do not pay for loading 1,531 resource modules.
 *
 * The runtime path only: importing this and synthesizing never reads a provider's
 * jsii assembly and never writes into `node_modules`. The offline validator, the
 * architecture report and the CI helpers are tooling, exported from
 * `cdktf-azure-photogrammetry/tooling` (src/tooling.ts).
 */
export * from './errors';
export * from './naming';
export * from './tags';
export * from './net/cidr';
export * from './net/address-plan';
export * from './net/admin-sources';
export * from './net/security-rules';
export * from './config/schema';
export * from './config/load';
export * from './config/domain';
export * from '../constructs/hpc-network';
export * from '../stacks/backend';
export * from '../stacks/photogrammetry-stack';
export * from '../stacks/network-stack';
export * from '../stacks/storage-stack';
export * from '../stacks/compute-stack';
export * from '../stacks/app';
export * as testing from './testing';
export * from './identity/domain-name';
export * from './identity/ssh-key';
export * from './storage/shared-file-system';
export * from './policy/rule-ids';
export * from './policy/suppressions';
export * from './azure/vm-sizes';
export { psLiteral, shLiteral, escapeForTerraform, renderTemplate } from './vm-scripts/render';
export type { RenderOptions } from './vm-scripts/render';
export * from '../constructs/domain-join';
export * from './identity/key-vault';
export * from './identity/dc-script';
export * from './azure/regions';
export * from './warnings';
export * from '../constructs/avm';
export * from '../constructs/providers';
export * from '../constructs/secrets-vault';
export * from '../constructs/domain-services';
export * from './config/storage';
export * from './storage/core-filer';
export * from './storage/lustre';
export * from './storage/netapp';
export * from './storage/file-systems';
export * as avere from './providers/avere';
export * from '../constructs/core-filer';
export * from '../constructs/avere-cache';
export * from '../constructs/managed-lustre';
export * from '../constructs/netapp-files';
export * from './storage/glusterfs';
export * from './storage/beegfs';
export * from './storage/file-servers';
export * from './storage/boot';
export * from '../constructs/file-server-vms';
export * from '../constructs/samba-gateways';
export * from '../constructs/gluster-fs';
export * from '../constructs/bee-gfs';
export * from './config/compute';
export * from './compute/metashape';
export * from './compute/gpu';
export * from './compute/cloud-init';
export * from './compute/windows-bootstrap';
export * from './net/bastion';
export * from '../constructs/photoscan-cluster';
export * from '../constructs/metashape-scheduler';
export * from '../constructs/processing-nodes';
export * from '../constructs/batch-nodes';
export * from '../constructs/cyclecloud-cluster';
export * from './compute/orchestrators';
export * from './compute/node-bundle';
export * from './compute/cyclecloud';
export * from '../constructs/bastion';
export * from './compute/node-rules';
export * from '../constructs/jump-boxes';
export * from './policy/rules';
export * from './policy/evaluate';
export * from './policy/report';
export * from './policy/aspect';
