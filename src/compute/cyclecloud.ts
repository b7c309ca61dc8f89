/**
 * The Azure CycleCloud server's boot: its cloud-config writes the initialization script, the Metashape project
 * (whose cluster-init is the processing nodes' own rendered setup, {@link renderNodeBundleScript}), the cluster
 * template and its parameters (node bounds from the configuration), then runs the initialization once. Files under
 * src/vm-scripts/cyclecloud.
 */
import { keyVaultReadFragment, readScript, renderTemplate, shLiteral } from '../vm-scripts/render';
import type { NodeCloudInitParams } from './cloud-init';
import { renderNodeBundleScript } from './node-bundle';
import { cloudConfig } from './yaml';
import { SECRET_RETRY_WINDOW_SECONDS } from './node-boot';
import type { ImageReference } from './orchestrators';

export const CYCLECLOUD_INIT_PATH = '/opt/photogrammetry/cyclecloud-init.sh';
export const CYCLECLOUD_PROJECT_DIR = '/opt/photogrammetry/cyclecloud/metashape';
export const CYCLECLOUD_CLUSTER_INIT_PATH = `${CYCLECLOUD_PROJECT_DIR}/specs/default/cluster-init/scripts/10-metashape-node.sh`;
export const CYCLECLOUD_TEMPLATE_PATH = '/opt/photogrammetry/cyclecloud/metashape-cluster.txt';
export const CYCLECLOUD_PARAMETERS_PATH = '/opt/photogrammetry/cyclecloud/metashape-parameters.json';
/** The CycleCloud cloud account (its locker is `<name>-storage`). */
export const CYCLECLOUD_ACCOUNT_NAME = 'azure';
export const CYCLECLOUD_CLUSTER_NAME = 'metashape';

/** What the server needs to know. */
export interface CycleCloudServerParams {
  /** The workers' boot (the same parameters as the scale set's nodes). */
  readonly node: NodeCloudInitParams;
  readonly adminUsername: string;
  readonly keyVaultUri: string;
  /** Name of the Key Vault secret with the admin password. */
  readonly adminSecretName: string;
  /** Resource group the nodes are created in. */
  readonly resourceGroupName: string;
  readonly lockerAccountName: string;
  readonly lockerContainerName: string;
  readonly location: string;
  /** CycleCloud's subnet notation: `<resource group>/<vnet>/<subnet>`. */
  readonly subnet: string;
  readonly image: ImageReference;
  readonly machineType: string;
  /** Resource id of the workers' user-assigned identity. */
  readonly nodeIdentityId: string;
  readonly initialCount: number;
  readonly maxCount: number;
  readonly spot: boolean;
  /** USD per hour, -1 up to the on-demand price. */
  readonly maxPrice: number;
}

/** The server's initialization script. */
export function renderCycleCloudInitScript(p: CycleCloudServerParams, forTerraform = true): string {
  return renderTemplate(
    readScript('cyclecloud/cyclecloud-init.sh'),
    {
      KEYVAULT_READ: keyVaultReadFragment(),
      ADMIN_USER: shLiteral(p.adminUsername),
      KEY_VAULT_URI: shLiteral(p.keyVaultUri),
      ADMIN_SECRET: shLiteral(p.adminSecretName),
      RESOURCE_GROUP: shLiteral(p.resourceGroupName),
      LOCKER_ACCOUNT: shLiteral(p.lockerAccountName),
      LOCKER_CONTAINER: shLiteral(p.lockerContainerName),
      ACCOUNT_NAME: shLiteral(CYCLECLOUD_ACCOUNT_NAME),
      CLUSTER_NAME: shLiteral(CYCLECLOUD_CLUSTER_NAME),
      PROJECT_DIR: shLiteral(CYCLECLOUD_PROJECT_DIR),
      TEMPLATE: shLiteral(CYCLECLOUD_TEMPLATE_PATH),
      PARAMETERS: shLiteral(CYCLECLOUD_PARAMETERS_PATH),
      RETRY_WINDOW: String(SECRET_RETRY_WINDOW_SECONDS),
    },
    { name: 'cyclecloud/cyclecloud-init.sh', forTerraform },
  );
}

/** The parameters the cluster template is imported with. */
export function cycleCloudClusterParameters(p: CycleCloudServerParams): Record<string, string | number | boolean> {
  return {
    Credentials: CYCLECLOUD_ACCOUNT_NAME,
    Region: p.location,
    SubnetId: p.subnet,
    ImageName: `${p.image.publisher}:${p.image.offer}:${p.image.sku}:${p.image.version}`,
    MachineType: p.machineType,
    NodeIdentity: p.nodeIdentityId,
    InitialCount: p.initialCount,
    MaxCount: p.maxCount,
    Spot: p.spot,
    MaxPrice: p.maxPrice,
  };
}

/** The server's `#cloud-config`. */
export function renderCycleCloudCloudInit(p: CycleCloudServerParams, forTerraform = true): string {
  const plain = (name: string) => renderTemplate(readScript(name), {}, { name, forTerraform });
  const doc = {
    write_files: [
      { path: CYCLECLOUD_INIT_PATH, permissions: '0700', owner: 'root:root', content: renderCycleCloudInitScript(p, forTerraform) },
      { path: `${CYCLECLOUD_PROJECT_DIR}/project.ini`, permissions: '0644', owner: 'root:root', content: plain('cyclecloud/project.ini') },
      {
        path: CYCLECLOUD_CLUSTER_INIT_PATH,
        permissions: '0755',
        owner: 'root:root',
        content: renderNodeBundleScript(p.node, 'cyclecloud-cluster-init', forTerraform),
      },
      { path: CYCLECLOUD_TEMPLATE_PATH, permissions: '0644', owner: 'root:root', content: plain('cyclecloud/metashape-cluster.txt') },
      { path: CYCLECLOUD_PARAMETERS_PATH, permissions: '0644', owner: 'root:root', content: `${JSON.stringify(cycleCloudClusterParameters(p), null, 2)}\n` },
    ],
    runcmd: [['bash', CYCLECLOUD_INIT_PATH]],
  };
  return cloudConfig(doc);
}
