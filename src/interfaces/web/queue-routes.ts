/**
 * 处理队列 (/admin/queue), for the administrator of an office that belongs to a district: the
 * district's jobs of this community (waiting, running, failed with the reason and to be tried
 * again, dead after the last try, done), and 重试 for a failed or dead one. The queue is opened on
 * the district's database the first time the page is asked for; an office of its own (SQLite, or
 * PostgreSQL without a district) has no queue, and the page says so.
 */
import type { FastifyInstance } from 'fastify';
import { openPgBossQueue } from '../../adapters/pgboss/pgboss-queue.js';
import { fail } from '../../domain/problems.js';
import { can } from '../../domain/roles.js';
import { JOB_NAMES, type JobName, type JobQueue, type JobState } from '../../ports/queue.js';
import type { Office } from '../../app.js';
import { actorOf, type WebContext } from './server.js';

const STATE_LABEL: Record<JobState, string> = { waiting: '等待中', running: '处理中', failed: '失败（将重试）', dead: '已停止重试', done: '已完成' };
const JOB_LABEL: Record<JobName, string> = { 'read-letter': '识别登记来信', 'make-sheets': '生成空白批办单' };
const SHOWN: JobState[] = ['running', 'waiting', 'failed', 'dead', 'done'];

export function addQueueRoutes(app: FastifyInstance, ctx: WebContext, given?: JobQueue): void {
  // One queue for the server: every community of a district shares the district's database.
  let opened: Promise<JobQueue> | undefined;
  const queueOf = (office: Office): Promise<JobQueue> | undefined => {
    if (given) return Promise.resolve(given);
    const url = office.settings.store.postgres;
    if (!office.community || !url) return undefined;
    if (!opened) {
      const q = office.settings.queue;
      opened = openPgBossQueue({ url, tries: q.tries, backoffSeconds: q.backoffSeconds, expireSeconds: q.expireSeconds, checkSeconds: q.checkSeconds, log: office.log });
      opened.catch(() => (opened = undefined));
    }
    return opened;
  };
  app.addHook('onClose', async () => {
    if (opened) await (await opened).stop({ graceful: false });
  });
  const mustAdminister = (request: Parameters<typeof actorOf>[0]) => {
    const me = actorOf(request);
    if (!can(me, 'manage-office')) fail({ code: 'not-allowed', role: me.role ?? '', action: '查看处理队列' });
  };
  app.get('/admin/queue', async (request, reply) => {
    mustAdminister(request);
    const office = ctx.officeOf(request);
    const community = office.community?.code;
    const queue = queueOf(office);
    if (!queue) return ctx.page(request, reply, 'admin-queue', { title: '处理队列', none: true });
    const q = await queue;
    const [counts, jobs] = await Promise.all([q.counts({ community }), q.jobs({ states: SHOWN, limit: 200, community })]);
    const tz = office.settings.office.timezone;
    const when = (d: Date | string | null) => (d ? new Date(d).toLocaleString('zh-CN', { timeZone: tz, hour12: false }) : '');
    return ctx.page(request, reply, 'admin-queue', {
      title: '处理队列',
      retried: (request.query as { retried?: string }).retried === '1',
      counts: SHOWN.map((s) => ({ label: STATE_LABEL[s], n: counts[s] })),
      jobs: jobs.map((j) => ({
        id: j.id,
        name: j.name,
        kind: JOB_LABEL[j.name] ?? j.name,
        state: STATE_LABEL[j.state],
        what: typeof j.data.name === 'string' ? j.data.name : '',
        reason: j.reason,
        tries: j.retries + 1,
        created: when(j.createdAt),
        started: when(j.startedAt),
        mayRetry: j.state === 'failed' || j.state === 'dead',
      })),
    });
  });

  app.post('/admin/queue/:name/:id/retry', async (request, reply) => {
    mustAdminister(request);
    const { name, id } = request.params as { name: string; id: string };
    const office = ctx.officeOf(request);
    const community = office.community?.code;
    const queue = queueOf(office);
    if (!queue || !(JOB_NAMES as readonly string[]).includes(name)) return reply.code(404).type('text/plain; charset=utf-8').send('没有这项任务。');
    const q = await queue;
    const job = await q.job(id);
    if (!job || job.name !== name || (community && job.data.community !== community)) return reply.code(404).type('text/plain; charset=utf-8').send('没有这项任务。');
    if (job.state !== 'failed' && job.state !== 'dead') return reply.code(409).type('text/plain; charset=utf-8').send('这项任务没有失败，不需要重试。');
    await q.retry(job.name, job.id);
    office.log.info({ job: job.id, name: job.name, by: actorOf(request).name }, 'queue job retried from the web');
    return reply.redirect('/admin/queue?retried=1', 303);
  });
}
