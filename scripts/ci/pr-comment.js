/**
 * Used by actions/github-script in the pull-request workflow: creates the
 * plan comment once and updates it on every later run (found by its marker).
 *
 *   const upsert = require('./scripts/ci/pr-comment.js');
 *   await upsert({ github, context, body: fs.readFileSync('cdktf.out/plan-comment.md', 'utf8') });
 */
'use strict';

const MARKER = '<!-- cdktf-azure-photogrammetry:plan -->';

module.exports = async function upsertPlanComment({ github, context, body }) {
  if (!body.startsWith(MARKER)) body = `${MARKER}\n${body}`;
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const mine = comments.find((c) => (c.body || '').startsWith(MARKER) && c.user && c.user.type === 'Bot');
  if (mine) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
    return { updated: mine.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return { created: created.data.id };
};
module.exports.MARKER = MARKER;
