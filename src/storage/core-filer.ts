/** Rules of the Blob core filer's storage account. */
import { InputIssue, show } from '../errors';

/** Issues with a storage account name: 3–24 lowercase letters and digits (a global DNS name). */
export function storageAccountNameIssues(field: string, name: string): InputIssue[] {
  return /^[a-z0-9]{3,24}$/.test(name)
    ? []
    : [{ path: field, message: `${show(name)} is not a valid storage account name: expected 3–24 lowercase letters or digits, e.g. "stpgmfiler01"` }];
}
