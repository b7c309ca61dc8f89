import { deferredBy, findPlanComment, PLAN_COMMENT_MARKER, renderPlanComment, summarizePlan } from '../../src/ci/plan-summary';

const upsert = require('../../scripts/ci/pr-comment.js') as (args: {
  github: unknown;
  context: unknown;
  body: string;
}) => Promise<{ created?: number; updated?: number }>;

const plan = {
  resource_changes: [
    { address: 'azurerm_resource_group.rg', change: { actions: ['no-op'] } },
    { address: 'azurerm_subnet.a', change: { actions: ['create'] } },
    { address: 'azurerm_subnet.b', change: { actions: ['create'] } },
    { address: 'azurerm_key_vault.kv', change: { actions: ['update'] } },
    { address: 'azurerm_linux_virtual_machine_scale_set.nodes', change: { actions: ['delete', 'create'] } },
    { address: 'azurerm_public_ip.old', change: { actions: ['delete'] } },
  ],
};

test('summarizePlan counts add / change / replace / destroy and lists what is destroyed', () => {
  expect(summarizePlan('compute', plan)).toEqual({
    stack: 'compute',
    add: 2,
    change: 1,
    replace: 1,
    destroy: 1,
    destructive: ['azurerm_linux_virtual_machine_scale_set.nodes', 'azurerm_public_ip.old'],
  });
  expect(summarizePlan('x', {})).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0 });
});

test('the comment: marker first, a row per stack, destructive changes called out, failures shown, the report appended', () => {
  const body = renderPlanComment(
    [summarizePlan('network', { resource_changes: [] }), summarizePlan('compute', plan), { stack: 'storage', error: 'Error: boom' }],
    '# Architecture report\n\nDeploy order: x',
    {
      commit: '0123456789abcdef',
    },
  );
  expect(body.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
  expect(body).toContain('Commit `0123456789ab`');
  expect(body).toContain('| network | 0 | 0 | 0 | 0 |');
  expect(body).toContain('| compute | 2 | 1 | **1** | **1** |');
  expect(body).toContain('| storage | ⚠️ plan failed | | | |');
  expect(body).toContain('- `compute`: `azurerm_public_ip.old`');
  expect(body).toContain('Error: boom');
  expect(body).toContain('## Architecture\n\nDeploy order: x');
});

test('findPlanComment finds the bot comment carrying the marker', () => {
  const comments = [
    { id: 1, body: 'LGTM', user: { type: 'User' } },
    { id: 2, body: `${PLAN_COMMENT_MARKER}\nold`, user: { type: 'Bot' } },
  ];
  expect(findPlanComment(comments)?.id).toBe(2);
  expect(findPlanComment([{ id: 3, body: `${PLAN_COMMENT_MARKER} copied by a human`, user: { type: 'User' } }])).toBeUndefined();
});

test('the github-script helper creates the comment once, then updates it', async () => {
  const comments: Array<{ id: number; body: string; user: { type: string } }> = [{ id: 1, body: 'a human comment', user: { type: 'User' } }];
  const calls: string[] = [];
  const github = {
    paginate: async (_fn: unknown, _args: unknown) => comments,
    rest: {
      issues: {
        listComments: () => undefined,
        createComment: async ({ body }: { body: string }) => {
          calls.push('create');
          comments.push({ id: 99, body, user: { type: 'Bot' } });
          return { data: { id: 99 } };
        },
        updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
          calls.push(`update ${comment_id}`);
          comments.find((c) => c.id === comment_id)!.body = body;
        },
      },
    },
  };
  const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 7 } };
  expect(await upsert({ github, context, body: `${PLAN_COMMENT_MARKER}\nfirst` })).toEqual({ created: 99 });
  expect(await upsert({ github, context, body: 'second' })).toEqual({ updated: 99 });
  expect(calls).toEqual(['create', 'update 99']);
  expect(comments).toHaveLength(2);
  expect(comments[1].body).toBe(`${PLAN_COMMENT_MARKER}\nsecond`);
});

describe('deferredBy: a failed plan that only waits for a producer of the same change', () => {
  const READ = 'data.terraform_remote_state.cross-stack-reference-input-network.outputs';
  const noState = `terraform plan:\nError: Unable to find remote state\n\n  with data.terraform_remote_state.cross-stack-reference-input-network,\n  on cdk.tf.json line 120:\nNo stored state was found for the given workspace in the given backend.`;
  const missing = (name: string) =>
    `terraform plan:\nError: Unsupported attribute\n\n  on cdk.tf.json line 88, in resource "azurerm_resource_group" "rg":\n  88:  "thing": "\${${READ}.${name}}"\n\nThis object does not have an attribute named "${name}".`;
  const planned = (stack: string, add: number, outputs: string[] = []) => ({
    ...summarizePlan(stack, { resource_changes: Array.from({ length: add }, (_, i) => ({ address: `x.r${i}`, change: { actions: ['create'] } })) }),
    ...(outputs.length ? { outputsAdded: outputs } : {}),
  });

  test('first deployment: the producer has no state and its plan creates resources', () => {
    expect(deferredBy('storage', noState, [planned('network', 55)])).toEqual({
      stack: 'storage',
      after: ['network'],
      reason: 'storage reads network through terraform_remote_state, and network has no state yet (first deployment)',
    });
  });

  test('an output the producer adds in this change', () => {
    expect(deferredBy('storage', missing('cross-stack-output-new'), [planned('network', 0, ['cross-stack-output-new'])])?.reason).toBe(
      'storage reads network through terraform_remote_state, and network adds the output cross-stack-output-new it reads in this change',
    );
  });

  test('a producer that is itself deferred defers its readers too', () => {
    const network = { stack: 'network', after: ['base'], reason: '…' };
    expect(deferredBy('storage', noState, [network])?.reason).toContain('network is itself planned only after base');
  });

  test('real errors fail the job: an output nobody adds, a failed or unknown producer, a producer with state, any other error', () => {
    expect(deferredBy('storage', missing('cross-stack-output-typo'), [planned('network', 0, ['cross-stack-output-new'])])).toBeUndefined();
    expect(deferredBy('storage', noState, [{ stack: 'network', error: 'boom' }])).toBeUndefined();
    expect(deferredBy('storage', noState, [])).toBeUndefined();
    expect(deferredBy('storage', noState, [planned('network', 0)])).toBeUndefined();
    expect(deferredBy('storage', 'Error: Invalid value for "location"', [planned('network', 55)])).toBeUndefined();
  });
});
