import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../src/app/bootstrap.js';
import { alertmanagerPayload } from '../stand-ins/alert-senders.js';
import { DIALECTS, rowCounts, type TestApp, startTestApp } from './support/test-runtime.js';

const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

// The API of pre-authorized actions without running any (no SSH server needed): the catalogue, the
// authorizations, refusals and bad input. Runs over SSH: actions-ssh.test.ts.
for (const dialect of DIALECTS) {
  describe(`pre-authorized actions API on ${dialect}`, () => {
    let t: TestApp;
    let admin: string;
    let engineer: string;
    let nordhamn: string;
    let other: string;
    let web1: string;
    let db1: string;
    let amToken: string;

    const count = async (table: 'action_runs' | 'jobs' | 'action_authorizations' | 'incident_events') =>
      Number(
        (
          await t.ctx.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const snapshot = async () => ({
      ...(await rowCounts(t.ctx)),
      action_runs: await count('action_runs'),
      jobs: await count('jobs'),
      action_authorizations: await count('action_authorizations'),
      incident_events: await count('incident_events'),
    });
    const customer = async (name: string, orgNumber: string, tier: string) =>
      (
        await t.call('POST', '/api/v1/customers', admin, {
          name,
          orgNumber,
          tier,
          agreementStart: '2026-01-01',
        })
      ).json().id as string;
    const server = async (customerId: string, hostname: string) =>
      (
        await t.call('POST', `/api/v1/customers/${customerId}/servers`, admin, {
          hostname,
          ssh: { host: '192.0.2.10', port: 22, user: 'ballou', hostKey: HOST_KEY },
        })
      ).json().id as string;
    const takenIncident = async (customerId: string, serverId: string, summary: string) => {
      const incident = (
        await t.call('POST', '/api/v1/incidents', engineer, { customerId, serverId, summary })
      ).json();
      await t.call('POST', `/api/v1/incidents/${incident.id}/ack`, engineer, {});
      return incident.id as string;
    };

    beforeAll(async () => {
      t = await startTestApp(dialect);
      admin = await t.token('admin');
      engineer = await t.token('engineer');
      nordhamn = await customer('Nordhamn AB', '556677-0011', 'hog');
      other = await customer('Annan AB', '556036-0793', 'incident');
      web1 = await server(nordhamn, 'web1.nordhamn.se');
      db1 = await server(nordhamn, 'db1.nordhamn.se');
      amToken = (
        await t.call('POST', '/api/v1/integrations', admin, { kind: 'alertmanager', name: 'Prometheus' })
      ).json().token;
    });
    afterAll(async () => t?.close());

    it('shows the built-in catalogue with each fixed command to every role', async () => {
      const answer = await t.call('GET', '/api/v1/actions', await t.token('customer', nordhamn));
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toContainEqual(
        expect.objectContaining({
          key: 'restart-web',
          title: 'Starta om webbservern',
          command: 'sudo systemctl restart nginx',
        }),
      );
    });

    it('lets a customer user manage its own server’s authorizations, audited, and no one else’s', async () => {
      const own = await t.token('customer', nordhamn);
      const created = await t.call('POST', `/api/v1/servers/${web1}/authorizations`, own, {
        action: 'restart-web',
        automatic: true,
        alertNames: ['NginxDown'],
        maxRunsPerDay: 3,
        withinResponsibility: true,
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      expect(created.json()).toMatchObject({
        serverId: web1,
        action: 'restart-web',
        manual: true,
        automatic: true,
        alertNames: ['NginxDown'],
        maxRunsPerDay: 3,
        notifyCustomer: true,
        revokedAt: null,
      });
      const changed = await t.call('PATCH', `/api/v1/servers/${web1}/authorizations/${id}`, own, {
        maxRunsPerDay: 2,
      });
      expect(changed.json()).toMatchObject({ maxRunsPerDay: 2, automatic: true });
      expect((await t.call('GET', `/api/v1/servers/${web1}/authorizations`, own)).json()).toHaveLength(1);

      // Another customer's user: that server does not exist for them, and nothing is written.
      const stranger = await t.token('customer', other);
      const before = await snapshot();
      const refused = [
        await t.call('POST', `/api/v1/servers/${web1}/authorizations`, stranger, {
          action: 'restart-db',
          automatic: false,
          withinResponsibility: true,
        }),
        await t.call('PATCH', `/api/v1/servers/${web1}/authorizations/${id}`, stranger, { maxRunsPerDay: 9 }),
        await t.call('DELETE', `/api/v1/servers/${web1}/authorizations/${id}`, stranger),
        await t.call('GET', `/api/v1/servers/${web1}/authorizations`, stranger),
      ];
      expect(refused.map((r) => r.statusCode)).toEqual([404, 404, 404, 404]);
      expect(await snapshot()).toEqual(before);

      const audit = await t.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'actor_type', 'customer_id'])
        .where('entity_id', '=', id)
        .orderBy('seq')
        .execute();
      expect(audit).toEqual([
        { action: 'action_authorization.created', actor_type: 'token', customer_id: nordhamn },
        { action: 'action_authorization.changed', actor_type: 'token', customer_id: nordhamn },
      ]);
    });

    it('refuses bad authorizations with a 4xx naming the field and writes nothing', async () => {
      const otherServer = await server(other, 'www.annan.se');
      const before = await snapshot();
      const cases = [
        // a command string instead of a catalogue key
        [web1, { action: 'restart-db', command: 'rm -rf /', automatic: false, withinResponsibility: true }],
        [web1, { action: 'format-disk', automatic: false, withinResponsibility: true }],
        // tier incident: no automatic actions
        [otherServer, { action: 'restart-web', automatic: true, withinResponsibility: true }],
        [web1, { action: 'restart-web', automatic: false, withinResponsibility: true }], // already authorized
        [web1, { action: 'restart-db', automatic: false, manual: false, withinResponsibility: true }],
      ] as const;
      const answers = [];
      for (const [serverId, body] of cases) {
        answers.push(await t.call('POST', `/api/v1/servers/${serverId}/authorizations`, admin, body));
      }
      expect(answers.map((a) => a.statusCode)).toEqual([400, 400, 409, 409, 400]);
      expect(answers.map((a) => a.json().errors?.[0]?.path)).toEqual([
        '/command',
        '/action',
        '/automatic',
        '/action',
        '/manual',
      ]);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a manual run with bad input (unknown action, a command, another customer’s server) writing nothing', async () => {
      await t.call('POST', `/api/v1/servers/${db1}/authorizations`, admin, {
        action: 'restart-db',
        automatic: false,
        withinResponsibility: true,
      });
      const incidentId = await takenIncident(nordhamn, db1, 'Databasen svarar inte');
      const strangerServer = await server(other, 'db.annan.se');
      const customerToken = await t.token('customer', nordhamn);
      const before = await snapshot();
      const bodies = [
        { action: 'format-disk', serverId: db1 },
        { action: 'restart-db', serverId: db1, command: 'cat /etc/shadow' },
        { command: 'sudo systemctl restart mariadb', serverId: db1 },
        { action: 'restart-db', serverId: strangerServer },
        { action: 'restart-db', serverId: 'no-such-server' },
      ];
      const answers = [];
      for (const body of bodies) {
        answers.push(await t.call('POST', `/api/v1/incidents/${incidentId}/actions`, engineer, body));
      }
      expect(answers.map((a) => a.statusCode)).toEqual([400, 400, 400, 400, 400]);
      expect(answers.map((a) => a.json().errors?.[0]?.path)).toEqual([
        '/action',
        '/command',
        '/action',
        '/serverId',
        '/serverId',
      ]);
      // Customers and billing cannot run actions at all.
      const customerTry = await t.call('POST', `/api/v1/incidents/${incidentId}/actions`, customerToken, {
        action: 'restart-db',
        serverId: db1,
      });
      expect(customerTry.statusCode).toBe(403);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a run on a server without SSH access, and a change to nothing or to automatic below hog', async () => {
      const bare = (
        await t.call('POST', `/api/v1/customers/${nordhamn}/servers`, admin, { hostname: 'bare.nordhamn.se' })
      ).json().id;
      const auth = (
        await t.call('POST', `/api/v1/servers/${bare}/authorizations`, admin, {
          action: 'restart-web',
          automatic: false,
          withinResponsibility: true,
        })
      ).json();
      const incidentId = await takenIncident(nordhamn, bare, 'Ingen SSH');
      const strangerServer = await server(other, 'app.annan.se');
      const strangerAuth = (
        await t.call('POST', `/api/v1/servers/${strangerServer}/authorizations`, admin, {
          action: 'restart-web',
          automatic: false,
          withinResponsibility: true,
        })
      ).json();
      const before = await snapshot();
      const run = await t.call('POST', `/api/v1/incidents/${incidentId}/actions`, engineer, {
        action: 'restart-web',
        serverId: bare,
      });
      expect(run.statusCode).toBe(409);
      expect(run.json().detail).toMatch(/no SSH access/);
      const empty = await t.call('PATCH', `/api/v1/servers/${bare}/authorizations/${auth.id}`, admin, {});
      expect(empty.statusCode).toBe(400);
      const belowHog = await t.call(
        'PATCH',
        `/api/v1/servers/${strangerServer}/authorizations/${strangerAuth.id}`,
        admin,
        { automatic: true },
      );
      expect(belowHog.statusCode).toBe(409);
      expect(belowHog.json().errors[0].path).toBe('/automatic');
      expect(await snapshot()).toEqual(before);
    });

    it('refuses, and records the refusal of, an action the customer has not authorized', async () => {
      const incidentId = await takenIncident(nordhamn, db1, 'Webbservern på db1');
      const answer = await t.call('POST', `/api/v1/incidents/${incidentId}/actions`, engineer, {
        action: 'restart-web',
        serverId: db1,
      });
      expect(answer.statusCode).toBe(403);
      expect(answer.json().detail).toMatch(/not authorized/);
      const [run] = (await t.call('GET', `/api/v1/incidents/${incidentId}/action-runs`, engineer)).json();
      expect(run).toMatchObject({ action: 'restart-web', trigger: 'manual', status: 'refused' });
      expect(run.reason).toMatch(/not authorized/);
      const audit = await t.ctx.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', run.id)
        .execute();
      expect(audit).toEqual([{ action: 'action.run_refused' }]);
      const view = (await t.call('GET', `/api/v1/incidents/${incidentId}`, engineer)).json();
      expect(view.timeline.at(-1)).toMatchObject({
        type: 'note',
        data: { kind: 'action_refused', refusal: 'not_authorized', runId: run.id },
      });
      // Nothing queued to run.
      expect(
        await t.ctx.db.selectFrom('jobs').select('id').where('kind', '=', 'action.run').execute(),
      ).toHaveLength(0);
    });

    it('refuses, and records, a run past the daily limit', async () => {
      const web9 = await server(nordhamn, 'web9.nordhamn.se');
      await t.call('POST', `/api/v1/servers/${web9}/authorizations`, admin, {
        action: 'restart-php-fpm',
        automatic: false,
        maxRunsPerDay: 1,
        withinResponsibility: true,
      });
      const incidentId = await takenIncident(nordhamn, web9, 'PHP hänger');
      const ask = () =>
        t.call('POST', `/api/v1/incidents/${incidentId}/actions`, engineer, {
          action: 'restart-php-fpm',
          serverId: web9,
        });
      expect((await ask()).statusCode).toBe(202);
      const second = await ask();
      expect(second.statusCode).toBe(409);
      expect(second.json().detail).toMatch(/at most 1 run/);
      const runs = (await t.call('GET', `/api/v1/incidents/${incidentId}/action-runs`, engineer)).json();
      // Same instant on the test clock, so in no particular order.
      expect(runs.map((r: { status: string }) => r.status).sort()).toEqual(['queued', 'refused']);
      // A rolling day: 24 hours later the customer's limit allows one again.
      t.clock.advance(24 * 3_600_000);
      try {
        expect((await ask()).statusCode).toBe(202);
      } finally {
        t.clock.advance(-24 * 3_600_000);
      }
    });

    it('refuses, and records, an automatic run for a customer no longer of tier hog', async () => {
      const sundby = await customer('Sundby AB', '556012-5790', 'hog');
      const app1 = await server(sundby, 'app1.sundby.se');
      await t.call('POST', `/api/v1/servers/${app1}/authorizations`, admin, {
        action: 'restart-web',
        automatic: true,
        withinResponsibility: true,
      });
      const moved = await t.call('POST', `/api/v1/customers/${sundby}/tiers`, admin, {
        tier: 'incident',
        validFrom: '2026-12-01',
      });
      expect(moved.statusCode).toBeLessThan(300);
      const alert = alertmanagerPayload({
        alerts: [
          { startsAt: '2026-12-01T10:50:00Z', labels: { alertname: 'HttpDown', server: 'app1.sundby.se' } },
        ],
      });
      for (let i = 0; i < 3; i += 1) {
        const answer = await t.app.inject({
          method: 'POST',
          url: '/webhooks/alertmanager',
          headers: { authorization: `Bearer ${amToken}` },
          payload: alert,
        });
        expect(answer.statusCode).toBe(200);
      }
      const runs = await t.ctx.db
        .selectFrom('action_runs')
        .selectAll()
        .where('server_id', '=', app1)
        .execute();
      expect(runs.map((r) => [r.trigger_type, r.status, r.alert_name])).toEqual([
        ['automatic', 'refused', 'HttpDown'],
      ]);
      expect(runs[0]?.reason).toMatch(/tier hog/);
    });

    it('revokes an authorization: it stays on record and runs are refused', async () => {
      const [auth] = (await t.call('GET', `/api/v1/servers/${db1}/authorizations`, admin)).json();
      const revoked = await t.call('DELETE', `/api/v1/servers/${db1}/authorizations/${auth.id}`, admin);
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revokedAt).toMatch(/\+01:00$/);
      expect((await t.call('GET', `/api/v1/servers/${db1}/authorizations`, admin)).json()).toEqual([]);
      const all = (
        await t.call('GET', `/api/v1/servers/${db1}/authorizations?includeRevoked=true`, admin)
      ).json();
      expect(all.map((a: { id: string }) => a.id)).toEqual([auth.id]);
      const incidentId = await takenIncident(nordhamn, db1, 'Databasen igen');
      const answer = await t.call('POST', `/api/v1/incidents/${incidentId}/actions`, engineer, {
        action: 'restart-db',
        serverId: db1,
      });
      expect(answer.statusCode).toBe(403);
    });

    it('takes the catalogue from BALLOU_ACTIONS_FILE at start: added, changed and retired actions, audited', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-catalogue-'));
      try {
        const file = path.join(dir, 'actions.json');
        fs.writeFileSync(
          file,
          JSON.stringify([
            {
              key: 'restart-web',
              titleSv: 'Starta om nginx',
              titleEn: 'Restart nginx',
              command: 'sudo /usr/local/sbin/ballou-remediate restart-web',
              timeoutSeconds: 30,
            },
            {
              key: 'clear-cache',
              titleSv: 'Töm cachen',
              titleEn: 'Clear the cache',
              command: 'sudo /usr/local/sbin/ballou-remediate clear-cache',
              timeoutSeconds: 30,
            },
          ]),
        );
        const restarted = await bootstrap({ ...t.config, actionsFile: file }, pino({ level: 'silent' }));
        await restarted.database.close();
        const keys = (await t.call('GET', '/api/v1/actions', admin)).json();
        expect(keys.map((a: { key: string; command: string }) => [a.key, a.command])).toEqual([
          ['clear-cache', 'sudo /usr/local/sbin/ballou-remediate clear-cache'],
          ['restart-web', 'sudo /usr/local/sbin/ballou-remediate restart-web'],
        ]);
        const audit = await t.ctx.db
          .selectFrom('audit_log')
          .select(['action', 'entity_id'])
          .where('action', 'like', 'action_catalogue.%')
          .orderBy('seq')
          .execute();
        expect(audit.map((a) => `${a.action} ${a.entity_id}`)).toEqual([
          'action_catalogue.changed restart-web',
          'action_catalogue.added clear-cache',
          'action_catalogue.retired restart-db',
          'action_catalogue.retired restart-php-fpm',
        ]);
        // A retired action can no longer be authorized.
        const refused = await t.call('POST', `/api/v1/servers/${db1}/authorizations`, admin, {
          action: 'restart-db',
          automatic: false,
          withinResponsibility: true,
        });
        expect(refused.statusCode).toBe(400);
        // A broken file stops the start with a message naming the field.
        fs.writeFileSync(
          file,
          JSON.stringify([{ key: 'x', titleSv: 'x', titleEn: 'x', command: 'a\nb', timeoutSeconds: 5 }]),
        );
        await expect(
          bootstrap({ ...t.config, actionsFile: file }, pino({ level: 'silent' })),
        ).rejects.toThrow(/BALLOU_ACTIONS_FILE .*\/0\/command/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
