/**
 * The domain controller promotion script (src/vm-scripts/windows/dc-promote.ps1)
 * rendered with its parameters. Values are PowerShell single-quoted literals;
 * passwords are not parameters of the text at all (the run command passes
 * them as protected parameters).
 */
import { psLiteral, readScript, renderTemplate } from '../vm-scripts/render';

/** Azure's recursive resolver, reachable from every VNet. */
export const AZURE_DNS = '168.63.129.16';

/** Parameters of the promotion script. */
export interface DcPromotionParams {
  /** "forest" on DC-01 (creates the forest), "replica" on DC-02. */
  readonly mode: 'forest' | 'replica';
  readonly domainName: string;
  readonly netbiosName: string;
  /** Domain admin account (DC-01's local admin, which becomes the domain administrator). */
  readonly adminUsername: string;
  /** DC-01's address, which DC-02 waits for. */
  readonly firstDcIp: string;
  /** DNS forwarder. @default AZURE_DNS */
  readonly dnsForwarder?: string;
  /** Drive letter of the NTDS/SYSVOL data disk. @default "F" */
  readonly dataDrive?: string;
}

/** Names of the run command's protected parameters (the script's `param()` block). */
export const DC_SCRIPT_SECRET_PARAMETERS = { safeMode: 'SafeModePassword', admin: 'AdminPassword' } as const;

/** The rendered script. `forTerraform` (default true) escapes `${`/`%{` for a Terraform attribute. */
export function renderDcPromotionScript(params: DcPromotionParams, forTerraform = true): string {
  return renderTemplate(
    readScript('windows/dc-promote.ps1'),
    {
      MODE: psLiteral(params.mode),
      DOMAIN_NAME: psLiteral(params.domainName),
      NETBIOS_NAME: psLiteral(params.netbiosName),
      ADMIN_USER: psLiteral(params.adminUsername),
      FIRST_DC_IP: psLiteral(params.firstDcIp),
      DNS_FORWARDER: psLiteral(params.dnsForwarder ?? AZURE_DNS),
      DATA_DRIVE: psLiteral(params.dataDrive ?? 'F'),
    },
    { name: 'windows/dc-promote.ps1', forTerraform },
  );
}
