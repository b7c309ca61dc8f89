import { TerraformElement, TerraformStack } from 'cdktf';
import { IConstruct, Node } from 'constructs';

const HIDDEN_CHILD_IDS = Symbol.for('cdktf-azure-photogrammetry.hiddenChildIds');
const SCHEME_INSTALLED = Symbol.for('cdktf-azure-photogrammetry.hiddenChildScheme');

type Flagged = IConstruct & { [HIDDEN_CHILD_IDS]?: Set<string> };
type Allocating = TerraformStack & { [SCHEME_INSTALLED]?: boolean; allocateLogicalId(el: TerraformElement | Node): string };

/**
 * Leaves the child `childId` of `parent` out of the logical ids of every Terraform element beneath it, so a construct
 * that composes smaller constructs (PhotoScanCluster → MetashapeScheduler + ProcessingNodes) keeps the resource
 * addresses of the single construct it replaced: existing state needs no `moved` blocks. Call it before creating the
 * child (ids are allocated when first referenced). The stack keeps its own hashed scheme for everything else.
 * @internal
 */
export function hideChildFromLogicalIds(parent: IConstruct, childId: string): void {
  const flagged = parent as Flagged;
  (flagged[HIDDEN_CHILD_IDS] ??= new Set<string>()).add(childId);
  const stack = TerraformStack.of(parent) as Allocating;
  if (stack[SCHEME_INSTALLED]) return;
  stack[SCHEME_INSTALLED] = true;
  const original = stack.allocateLogicalId.bind(stack);
  stack.allocateLogicalId = (el: TerraformElement | Node): string => {
    const node = TerraformElement.isTerraformElement(el) ? el.node : (el as Node);
    const scopes = node.scopes;
    const visible = scopes.filter((s) => !(s.node.scope as Flagged | undefined)?.[HIDDEN_CHILD_IDS]?.has(s.node.id));
    return visible.length === scopes.length ? original(el) : original({ scopes: visible } as unknown as Node);
  };
}
