import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_ACTION_JOB } from '../../src/app/actions/request-run.js';
import { runActionJob } from '../../src/app/actions/run-action-job.js';
import { bootstrap, type Runtime } from '../../src/app/bootstrap.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { buildApp } from '../../src/server/build-app.js';
import { alertmanagerPayload } from '../stand-ins/alert-senders.js';
import { startSshd, sshdForTests, type SshdStandIn } from '../stand-ins/sshd.js';
import { DIALECTS, TEST_NOW, type TestApp, startTestApp } from './support/test-runtime.js';

const SSHD = sshdForTests();

/** The catalogue as configuration: the commands the sshd stand-in's wrapper answers. */
const CATALOGUE = [
  {
    key: 'restart-web',
    titleSv: 'Starta om webbservern',
    titleEn: 'Restart the web server',
    command: 'sudo systemctl restart nginx',
    checkCommand: 'systemctl is-active nginx',
    timeoutSeconds: 10,
  },
  {
    key: 'restart-db',
    titleSv: 'Starta om databasservern',
    titleEn: 'Restart the database server',
    command: 'sudo systemctl restart mariadb',
    checkCommand: 'systemctl is-active mariadb',
    timeoutSeconds: 10,
  },
  {
    key: 'restart-stuck',
    titleSv: 'Starta om en tjänst som hänger',
    titleEn: 'Restart a service that hangs',
    command: 'sudo systemctl restart hang',
    timeoutSeconds: 2,
  },
];

const actionHandlers = { [RUN_ACTION_JOB]: runActionJob };

for (const dialect of DIALECTS) {
  // Each SSH connection costs a second or two of pure-JS key exchange: generous timeouts for a loaded CI.
  describe.skipIf(!SSHD)(`pre-authorized actions over SSH on ${dialect}`, { timeout: 120_000 }, () => {
    let sshd: SshdStandIn;
    let t: TestApp;
    let dir: string;
    let admin: string;
    let engineer: string;
    let customerId: string;
    let web1: string;
    let amToken: string;
    let annaId: string;
    const ANNA_PHONE = '+46709000001';

    const nginxAlert = (startsAt: string) =>
      alertmanagerPayload({
        alerts: [
          {
            startsAt,
            labels: { alertname: 'NginxDown', server: 'web1.nordhamn.se', instance: 'web1.nordhamn.se:9100' },
            annotations: { summary: 'nginx svarar inte på web1' },
          },
        ],
      });
    const deliver = (app: FastifyInstance, payload: unknown) =>
      app.inject({
        method: 'POST',
        url: '/webhooks/alertmanager',
        headers: { authorization: `Bearer ${amToken}` },
        payload: payload as object,
      });
    const drain = async (...workers: JobWorker[]) => {
      for (let i = 0; i < 10; i += 1) {
        const ran = await Promise.all(workers.map((w) => w.runOnce()));
        if (ran.every((n) => n === 0)) return;
      }
    };
    const runs = () => t.ctx.db.selectFrom('action_runs').selectAll().orderBy('created_at').execute();
    const restarts = () => sshd.commands().filter((c) => c === 'sudo systemctl restart nginx').length;

    beforeAll(async () => {
      sshd = await startSshd(SSHD as string);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-actions-'));
      fs.writeFileSync(path.join(dir, 'actions.json'), JSON.stringify(CATALOGUE));
      t = await startTestApp(dialect, {
        BALLOU_SSH_KEY_FILE: sshd.clientKeyFile,
        BALLOU_ACTIONS_FILE: path.join(dir, 'actions.json'),
      });
      admin = await t.token('admin');
      engineer = await t.token('engineer');
      const anna = (
        await t.call('POST', '/api/v1/engineers', admin, {
          name: 'Anna',
          phone: ANNA_PHONE,
          email: 'anna@ballou.example',
        })
      ).json();
      annaId = anna.id;
      expect(
        (
          await t.call('POST', '/api/v1/rotations', admin, {
            role: 'primary',
            engineerIds: [anna.id],
            start: '2026-11-30T08:00',
            shiftHours: 168,
          })
        ).statusCode,
      ).toBe(201);
      customerId = (
        await t.call('POST', '/api/v1/customers', admin, {
          name: 'Nordhamn AB',
          orgNumber: '556677-0011',
          tier: 'hog',
          agreementStart: '2026-01-01',
        })
      ).json().id;
      const ssh = { host: sshd.host, port: sshd.port, user: sshd.user, hostKey: sshd.hostKey };
      const server = await t.call('POST', `/api/v1/customers/${customerId}/servers`, admin, {
        hostname: 'web1.nordhamn.se',
        ssh,
      });
      expect(server.statusCode).toBe(201);
      web1 = server.json().id;
      await t.call('POST', `/api/v1/customers/${customerId}/contacts`, admin, {
        name: 'Karin Drift',
        phone: '+46705550101',
        email: 'drift@nordhamn.se',
      });
      amToken = (
        await t.call('POST', '/api/v1/integrations', admin, { kind: 'alertmanager', name: 'Prometheus' })
      ).json().token;
    });
    afterAll(async () => {
      await t?.close();
      await sshd?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('serves the configured catalogue', async () => {
      const actions = (await t.call('GET', '/api/v1/actions', engineer)).json();
      expect(actions.map((a: { key: string; command: string }) => [a.key, a.command])).toEqual([
        ['restart-db', 'sudo systemctl restart mariadb'],
        ['restart-stuck', 'sudo systemctl restart hang'],
        ['restart-web', 'sudo systemctl restart nginx'],
      ]);
    });

    it('runs an automatic action once for an alert delivered ten times, then records, pages and audits it', async () => {
      const created = await t.call('POST', `/api/v1/servers/${web1}/authorizations`, admin, {
        action: 'restart-web',
        automatic: true,
        alertNames: ['NginxDown'],
        maxRunsPerDay: 5,
        withinResponsibility: true,
      });
      expect(created.statusCode).toBe(201);
      const alert = nginxAlert('2026-12-01T10:58:00Z');
      for (let i = 0; i < 10; i += 1) expect((await deliver(t.app, alert)).statusCode).toBe(200);
      expect((await runs()).map((r) => r.status)).toEqual(['queued']);

      await drain(new JobWorker(t.ctx, { workerId: 'node-a', handlers: actionHandlers }));
      const [row] = await runs();
      const run = (await t.call('GET', `/api/v1/action-runs/${row?.id}`, engineer)).json();
      expect(run).toMatchObject({
        action: 'restart-web',
        serverId: web1,
        trigger: 'automatic',
        alertName: 'NginxDown',
        status: 'succeeded',
        command: 'sudo systemctl restart nginx',
        hostKeyFingerprint: sshd.hostKeyFingerprint,
        exitCode: 0,
        output: 'nginx restarted\n',
        checkExitCode: 0,
        checkOutput: 'active\n',
      });
      expect(run.durationMs).toBeGreaterThan(0);
      expect(run.startedAt).toMatch(/\+01:00$/);
      expect(sshd.commands()).toEqual(['sudo systemctl restart nginx', 'systemctl is-active nginx']);

      // On the incident's timeline; an automatic action is not someone taking the incident.
      const incident = (await t.call('GET', `/api/v1/incidents/${run.incidentId}`, engineer)).json();
      expect(incident.state).toBe('open');
      const event = incident.timeline.find((e: { type: string }) => e.type === 'action_run');
      expect(event).toMatchObject({ data: { runId: run.id, status: 'succeeded', exitCode: 0 } });
      const listed = (
        await t.call('GET', `/api/v1/incidents/${run.incidentId}/action-runs`, engineer)
      ).json();
      expect(listed.map((r: { id: string }) => r.id)).toEqual([run.id]);

      // The engineer on call is paged with the result.
      const pages = await t.ctx.db
        .selectFrom('notifications')
        .select(['body', 'channel'])
        .where('recipient', '=', ANNA_PHONE)
        .where('body', 'like', '%Starta om webbservern%')
        .execute();
      expect(pages).toEqual([
        {
          channel: 'sms',
          body: expect.stringMatching(/web1\.nordhamn\.se lyckades \(exit 0.*kontroll: active/),
        },
      ]);

      // The customer asked to be told (notifyCustomer defaults to true).
      const told = await t.ctx.db
        .selectFrom('notifications')
        .select(['channel', 'subject'])
        .where('recipient', '=', 'drift@nordhamn.se')
        .execute();
      expect(told).toEqual([
        { channel: 'email', subject: expect.stringMatching(/Starta om webbservern på web1/) },
      ]);

      // Audited before connecting and after, with the exact command, host key, exit status and output.
      const audit = await t.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'data'])
        .where('entity_id', '=', run.id)
        .orderBy('seq')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'action.run_requested',
        'action.run_started',
        'action.run_finished',
      ]);
      expect(JSON.parse(audit[2]?.data ?? '{}')).toMatchObject({
        trigger: 'automatic',
        alertName: 'NginxDown',
        command: 'sudo systemctl restart nginx',
        hostKeyFingerprint: sshd.hostKeyFingerprint,
        exitCode: 0,
        output: 'nginx restarted\n',
        checkCommand: 'systemctl is-active nginx',
        durationMs: run.durationMs,
      });

      // Retries after the run, and a restarted server process, change nothing.
      const restarted = await bootstrap(t.config, pino({ level: 'silent' }));
      restarted.ctx.clock = t.clock;
      const app = await buildApp({ ctx: restarted.ctx });
      try {
        for (let i = 0; i < 3; i += 1) expect((await deliver(app, alert)).statusCode).toBe(200);
        await drain(new JobWorker(restarted.ctx, { workerId: 'node-b', handlers: actionHandlers }));
      } finally {
        await app.close();
        await restarted.database.close();
      }
      expect(await runs()).toHaveLength(1);
      expect(restarts()).toBe(1);
    });

    it('two server processes on one database receiving the same alert run the action once', async () => {
      const second: Runtime = await bootstrap(t.config, pino({ level: 'silent' }));
      second.ctx.clock = t.clock;
      const secondApp = await buildApp({ ctx: second.ctx });
      try {
        const before = restarts();
        const alert = nginxAlert('2026-12-01T10:59:00Z');
        const answers = await Promise.all(
          Array.from({ length: 6 }, (_, i) => deliver(i % 2 === 0 ? t.app : secondApp, alert)),
        );
        expect(answers.map((a) => a.statusCode)).toEqual(Array(6).fill(200));
        await drain(
          new JobWorker(t.ctx, { workerId: 'node-a', handlers: actionHandlers }),
          new JobWorker(second.ctx, { workerId: 'node-b', handlers: actionHandlers }),
        );
        expect((await runs()).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
        expect(restarts()).toBe(before + 1);
      } finally {
        await secondApp.close();
        await second.database.close();
      }
    });

    it('records a failing manual action, bills it as work outside responsibility per started hour', async () => {
      await t.call('POST', `/api/v1/servers/${web1}/authorizations`, admin, {
        action: 'restart-db',
        automatic: false,
        withinResponsibility: false,
      });
      const incident = (
        await t.call('POST', '/api/v1/incidents', engineer, {
          customerId,
          serverId: web1,
          summary: 'Databasen svarar inte',
        })
      ).json();
      // Joins the open incident of the alert above; an engineer takes it before acting.
      expect((await t.call('POST', `/api/v1/incidents/${incident.id}/ack`, engineer, {})).statusCode).toBe(
        200,
      );
      const asked = await t.call('POST', `/api/v1/incidents/${incident.id}/actions`, engineer, {
        action: 'restart-db',
        serverId: web1,
      });
      expect(asked.statusCode).toBe(202);
      expect(asked.json()).toEqual({ id: expect.any(String), status: 'queued' });
      await drain(new JobWorker(t.ctx, { workerId: 'node-a', handlers: actionHandlers }));
      const run = (await t.call('GET', `/api/v1/action-runs/${asked.json().id}`, engineer)).json();
      expect(run).toMatchObject({
        trigger: 'manual',
        status: 'failed',
        exitCode: 1,
        output: 'Job for mariadb.service failed\n',
        checkExitCode: 3,
        checkOutput: 'failed\n',
        workEntryId: expect.any(String),
      });
      const view = (await t.call('GET', `/api/v1/incidents/${incident.id}`, engineer)).json();
      expect(view.state).toBe('in_progress');
      expect(view.work).toEqual([
        expect.objectContaining({ id: run.workEntryId, withinResponsibility: false, start: run.startedAt }),
      ]);
      // Tuesday 12:00, not a callout: one started hour at the hourly rate for a few seconds' work.
      const price = (await t.call('GET', `/api/v1/incidents/${incident.id}/price`, engineer)).json();
      expect(price.callout).toBe(false);
      expect(price.blocks).toHaveLength(1);
      expect(price.totalOre).toBe(price.blocks[0].amountOre);
      expect(price.totalOre).toBeGreaterThan(0);
      // The action's entry is booked on the engineer on call, and does not stop her logging her own hour.
      expect(view.work[0].engineerId).toBe(annaId);
      const logged = await t.call('POST', `/api/v1/incidents/${incident.id}/work`, engineer, {
        start: '2026-12-01T11:30',
        end: '2026-12-01T12:30',
        engineerId: annaId,
        withinResponsibility: true,
      });
      expect(logged.statusCode).toBe(201);
    });

    it('refuses to run on a server whose host key is not the pinned one, and says so on the timeline', async () => {
      const web2 = (
        await t.call('POST', `/api/v1/customers/${customerId}/servers`, admin, {
          hostname: 'web2.nordhamn.se',
          ssh: { host: sshd.host, port: sshd.port, user: sshd.user, hostKey: sshd.otherHostKey },
        })
      ).json().id;
      await t.call('POST', `/api/v1/servers/${web2}/authorizations`, admin, {
        action: 'restart-web',
        automatic: false,
        withinResponsibility: false,
      });
      const incident = (
        await t.call('POST', '/api/v1/incidents', engineer, {
          customerId,
          serverId: web2,
          summary: 'web2 nere',
        })
      ).json();
      await t.call('POST', `/api/v1/incidents/${incident.id}/ack`, engineer, {});
      const before = sshd.commands().length;
      const asked = await t.call('POST', `/api/v1/incidents/${incident.id}/actions`, engineer, {
        action: 'restart-web',
        serverId: web2,
      });
      expect(asked.statusCode).toBe(202);
      await drain(new JobWorker(t.ctx, { workerId: 'node-a', handlers: actionHandlers }));
      const run = (await t.call('GET', `/api/v1/action-runs/${asked.json().id}`, engineer)).json();
      expect(run).toMatchObject({
        status: 'host_key_mismatch',
        exitCode: null,
        hostKeyFingerprint: sshd.hostKeyFingerprint,
        workEntryId: null,
      });
      expect(run.reason).toContain(sshd.hostKeyFingerprint);
      expect(sshd.commands().length).toBe(before);
      const view = (await t.call('GET', `/api/v1/incidents/${incident.id}`, engineer)).json();
      expect(view.timeline.at(-1)).toMatchObject({
        type: 'note',
        data: { kind: 'action_host_key_mismatch', runId: run.id },
      });
      expect(view.work).toEqual([]);
    });

    it('stops a hanging action at its timeout and records it', async () => {
      await t.call('POST', `/api/v1/servers/${web1}/authorizations`, admin, {
        action: 'restart-stuck',
        automatic: false,
        withinResponsibility: true,
      });
      const incident = (
        await t.call('POST', '/api/v1/incidents', engineer, {
          customerId,
          serverId: web1,
          summary: 'Tjänsten hänger',
        })
      ).json();
      await t.call('POST', `/api/v1/incidents/${incident.id}/ack`, engineer, {});
      const asked = await t.call('POST', `/api/v1/incidents/${incident.id}/actions`, engineer, {
        action: 'restart-stuck',
        serverId: web1,
      });
      await drain(new JobWorker(t.ctx, { workerId: 'node-a', handlers: actionHandlers }));
      const run = (await t.call('GET', `/api/v1/action-runs/${asked.json().id}`, engineer)).json();
      expect(run).toMatchObject({ status: 'timed_out', exitCode: null, workEntryId: null });
      expect(run.reason).toMatch(/timeout of 2 s/);
      expect(run.durationMs).toBeGreaterThanOrEqual(2_000);
      expect(run.durationMs).toBeLessThan(8_000);
    });

    it('a command that outlives the job lease runs once: the node that takes over waits for its result', async () => {
      const incident = (
        await t.call('POST', '/api/v1/incidents', engineer, {
          customerId,
          serverId: web1,
          summary: 'Hänger igen',
        })
      ).json();
      await t.call('POST', `/api/v1/incidents/${incident.id}/ack`, engineer, {});
      const asked = await t.call('POST', `/api/v1/incidents/${incident.id}/actions`, engineer, {
        action: 'restart-stuck',
        serverId: web1,
      });
      const hangsBefore = sshd.commands().filter((c) => c === 'sudo systemctl restart hang').length;
      const nodeA = new JobWorker(t.ctx, { workerId: 'node-a', handlers: actionHandlers });
      const nodeB = new JobWorker(t.ctx, { workerId: 'node-b', handlers: actionHandlers });
      const first = nodeA.runOnce();
      // While node A's command runs, its 60 s lease runs out and node B claims the same job.
      await new Promise((r) => setTimeout(r, 1_000));
      t.clock.advance(61_000);
      expect(await nodeB.runOnce()).toBe(1);
      await first;
      const job = await t.ctx.db
        .selectFrom('jobs')
        .select(['status', 'last_error'])
        .where('dedupe_key', '=', `action-run:${asked.json().id}`)
        .executeTakeFirstOrThrow();
      expect(job).toEqual({
        status: 'pending',
        last_error: expect.stringMatching(/still running on another node/),
      });
      t.clock.advance(60_000);
      await drain(nodeB);
      const run = (await t.call('GET', `/api/v1/action-runs/${asked.json().id}`, engineer)).json();
      expect(run.status).toBe('timed_out');
      expect(sshd.commands().filter((c) => c === 'sudo systemctl restart hang').length).toBe(hangsBefore + 1);
      expect(
        (
          await t.ctx.db
            .selectFrom('jobs')
            .select('status')
            .where('dedupe_key', '=', `action-run:${run.id}`)
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('done');
    });

    it('a run whose node died mid-command is recorded as interrupted, never run again', async () => {
      const incident = (
        await t.call('POST', '/api/v1/incidents', engineer, {
          customerId,
          serverId: web1,
          summary: 'Noden dog',
        })
      ).json();
      await t.call('POST', `/api/v1/incidents/${incident.id}/ack`, engineer, {});
      const asked = await t.call('POST', `/api/v1/incidents/${incident.id}/actions`, engineer, {
        action: 'restart-stuck',
        serverId: web1,
      });
      const id = asked.json().id;
      // What a node killed after starting the command leaves behind: the run marked running, its job
      // claimed under a lease that will run out.
      await t.ctx.db
        .updateTable('action_runs')
        .set({ status: 'running', started_at: new Date(t.clock.now()).toISOString() })
        .where('id', '=', id)
        .execute();
      const before = sshd.commands().length;
      t.clock.advance(10 * 60_000);
      await drain(new JobWorker(t.ctx, { workerId: 'node-b', handlers: actionHandlers }));
      const run = (await t.call('GET', `/api/v1/action-runs/${id}`, engineer)).json();
      expect(run).toMatchObject({ status: 'interrupted', exitCode: null });
      expect(run.reason).toMatch(/outcome is unknown/);
      expect(sshd.commands().length).toBe(before);
      t.clock.set(TEST_NOW);
    });
  });
}
