import { VirtualMachineExtension } from '@cdktf/provider-azurerm/lib/virtual-machine-extension';
import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { throwIfIssues } from '../src/errors';
import { domainNameIssues } from '../src/identity/domain-name';

/** Props of {@link DomainJoin}. */
export interface DomainJoinProps {
  /** Id of the Windows VM to join (`azurerm_windows_virtual_machine.id`). */
  readonly virtualMachineId: string;
  /** FQDN of the Active Directory domain, e.g. "photoscan.local". */
  readonly domainName: string;
  /** Account allowed to join machines, without the domain, e.g. "pgmadmin". It is written as `<domain>\<user>`. */
  readonly joinUser: string;
  /** Its password: a Terraform reference (random_password result or Key Vault secret value), never a literal. */
  readonly joinPassword: string;
  /** Organizational unit for the computer account, e.g. "OU=Render,DC=photoscan,DC=local". @default "" — the Computers container */
  readonly ouPath?: string;
  /** Restart the VM after joining (needed before domain logons work). @default true */
  readonly restart?: boolean;
  /** What must exist first, typically the promoted domain controllers and the VNet DNS servers. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Tags of the extension. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Joins a Windows VM to the Active Directory domain with the
 * `JsonADDomainExtension` (publisher Microsoft.Compute). The password goes
 * into `protected_settings` (encrypted, never shown by the portal or the
 * Terraform plan) and only as a reference: it never appears in the JSON.
 */
export class DomainJoin extends Construct {
  /** The extension; depend on it for anything that needs a domain logon. */
  readonly extension: VirtualMachineExtension;

  constructor(scope: Construct, id: string, props: DomainJoinProps) {
    super(scope, id);
    throwIfIssues(`DomainJoin props (${this.node.path})`, domainNameIssues('domainName', props.domainName));
    this.extension = new VirtualMachineExtension(this, 'extension', {
      name: 'join-domain',
      virtualMachineId: props.virtualMachineId,
      publisher: 'Microsoft.Compute',
      type: 'JsonADDomainExtension',
      typeHandlerVersion: '1.3',
      autoUpgradeMinorVersion: true,
      // Plain JSON (no references): a backslash inside a Terraform expression string would be an invalid escape.
      settings: JSON.stringify({
        Name: props.domainName,
        OUPath: props.ouPath ?? '',
        User: `${props.domainName}\\${props.joinUser}`,
        Restart: String(props.restart ?? true),
        Options: '3', // join the domain (1) and create the computer account (2)
      }),
      protectedSettings: Fn.jsonencode({ Password: props.joinPassword }),
      dependsOn: props.dependsOn,
      tags: props.tags ? { ...props.tags } : undefined,
    });
  }
}
