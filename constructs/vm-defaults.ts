/**
 * Settings every Windows VM of the environment shares (domain controllers, scheduler, jump box), in one place so
 * the security baseline cannot drift between them: Windows Server 2022 Gen2, premium OS disk, encryption at host,
 * boot diagnostics in managed storage.
 */
export const WINDOWS_SERVER_2022 = { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-g2', version: 'latest' } as const;

export function windowsVmBaseline() {
  return {
    osDisk: { caching: 'ReadWrite', storageAccountType: 'Premium_LRS' },
    sourceImageReference: { ...WINDOWS_SERVER_2022 },
    encryptionAtHostEnabled: true,
    bootDiagnostics: {},
    timezone: 'UTC',
  };
}
