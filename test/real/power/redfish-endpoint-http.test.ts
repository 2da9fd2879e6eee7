/**
 * The twin's Redfish endpoint as any HTTP client sees it (plain fetch, no RedfishPower): the DMTF
 * shapes, authentication, Redfish error bodies, and the BMC model's pacing: a constant model
 * latency (10 s, run 100 times faster) shows exactly in the model times of the commands, and two requests racing for one
 * system are served one after the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constant } from '../../../src/models/sampler.ts';
import { startRedfishEndpoint, type RedfishEndpoint } from '../../../src/twin/redfish/redfish-endpoint.ts';

let bmc: RedfishEndpoint;
const basic = { Authorization: `Basic ${Buffer.from('root:pw-123').toString('base64')}` };

beforeAll(async () => {
  bmc = await startRedfishEndpoint({ user: 'root', password: 'pw-123', systems: ['c1', 'c2'], timeScale: 0.01, bmc: { commandLatency: constant(10), timeout: 30, cycleInterval: 2 } });
});

afterAll(async () => {
  await bmc?.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = basic) {
  const res = await fetch(`${bmc.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === '' ? undefined : JSON.parse(text) };
}

describe('twin Redfish endpoint over HTTP', () => {
  it('serves the service root without auth, and the Systems collection and systems with it', async () => {
    const root = await call('GET', '/redfish/v1/', undefined, {});
    expect(root.status).toBe(200);
    expect(root.json).toMatchObject({ '@odata.id': '/redfish/v1/', Systems: { '@odata.id': '/redfish/v1/Systems' }, Links: { Sessions: { '@odata.id': '/redfish/v1/SessionService/Sessions' } } });
    const systems = await call('GET', '/redfish/v1/Systems');
    expect(systems.json).toMatchObject({ 'Members@odata.count': 2, Members: [{ '@odata.id': '/redfish/v1/Systems/c1' }, { '@odata.id': '/redfish/v1/Systems/c2' }] });
    const c1 = await call('GET', '/redfish/v1/Systems/c1');
    expect(c1.json).toMatchObject({
      '@odata.type': '#ComputerSystem.v1_22_0.ComputerSystem',
      PowerState: 'Off',
      Boot: { BootSourceOverrideTarget: 'Hdd', BootSourceOverrideEnabled: 'Continuous' },
      Actions: { '#ComputerSystem.Reset': { target: '/redfish/v1/Systems/c1/Actions/ComputerSystem.Reset', 'ResetType@Redfish.AllowableValues': ['On', 'ForceOff', 'GracefulShutdown', 'ForceRestart', 'PowerCycle'] } },
    });
  });

  it('answers 401 without credentials, 404 for what it does not have, in the Redfish error shape', async () => {
    const anonymous = await call('GET', '/redfish/v1/Systems', undefined, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe('Base.1.16.NoValidSession');
    const missing = await call('GET', '/redfish/v1/Systems/c9');
    expect(missing.status).toBe(404);
    expect(missing.json.error['@Message.ExtendedInfo'][0].MessageId).toBe('Base.1.16.ResourceNotFound');
  });

  it('answers 400 for a bad body, with the Base registry message', async () => {
    const reset = '/redfish/v1/Systems/c1/Actions/ComputerSystem.Reset';
    expect((await call('POST', reset, '{"ResetType": ')).json.error.code).toBe('Base.1.16.MalformedJSON');
    expect((await call('POST', reset, {})).json.error.code).toBe('Base.1.16.ActionParameterMissing');
    const nmi = await call('POST', reset, { ResetType: 'Nmi' });
    expect([nmi.status, nmi.json.error.code]).toEqual([400, 'Base.1.16.ActionParameterValueNotInList']);
    const patch = await call('PATCH', '/redfish/v1/Systems/c1', { Boot: { BootSourceOverrideTarget: 'Floppy' } });
    expect([patch.status, patch.json.error.code]).toEqual([400, 'Base.1.16.PropertyValueNotInList']);
    expect((await call('PATCH', '/redfish/v1/Systems/c1', { AssetTag: 'x' })).json.error.code).toBe('Base.1.16.PropertyUnknown');
    // None of these reached the BMC.
    expect(bmc.commands.filter((c) => c.command !== 'getBootDevice')).toEqual([]);
  });

  it('sessions: login gives a token and a Location; the token authorises; DELETE ends it', async () => {
    const refused = await call('POST', '/redfish/v1/SessionService/Sessions', { UserName: 'root', Password: 'nope' }, {});
    expect(refused.status).toBe(401);
    const login = await call('POST', '/redfish/v1/SessionService/Sessions', { UserName: 'root', Password: 'pw-123' }, {});
    expect(login.status).toBe(201);
    const token = { 'X-Auth-Token': login.headers.get('x-auth-token')! };
    const location = login.headers.get('location')!;
    expect((await call('GET', '/redfish/v1/Systems', undefined, token)).status).toBe(200);
    expect((await call('DELETE', location, undefined, token)).status).toBe(204);
    expect((await call('GET', '/redfish/v1/Systems', undefined, token)).status).toBe(401);
  });

  it('each command takes the model latency in model time; racing requests for one system are served in turn', async () => {
    const from = bmc.commands.length;
    const reset = (id: string, type: string) => call('POST', `/redfish/v1/Systems/${id}/Actions/ComputerSystem.Reset`, { ResetType: type });
    const answers = await Promise.all([reset('c1', 'On'), reset('c1', 'ForceOff'), reset('c2', 'On')]);
    expect(answers.map((a) => a.status)).toEqual([204, 204, 204]);
    const served = bmc.commands.slice(from);
    const c1 = served.filter((c) => c.node === 0);
    expect(c1.map((c) => c.command)).toEqual(['powerOn', 'powerOff']);
    for (const c of served) expect(c.end - c.start).toBeCloseTo(10, 9);
    // The second request for c1 arrived while the first was being served (10 model s = 0.1 s),
    // and waited for it; c2 was served alongside.
    expect(c1[1].requested).toBeLessThan(c1[0].end);
    expect(c1[1].start).toBeCloseTo(c1[0].end, 9);
    expect(bmc.power('c1')).toBe('off');
    expect(bmc.power('c2')).toBe('on');
  });

  it('a power cycle answers once the model has cycled (latency + cycle interval)', async () => {
    const from = bmc.commands.length;
    const res = await call('POST', '/redfish/v1/Systems/c2/Actions/ComputerSystem.Reset', { ResetType: 'PowerCycle' });
    expect(res.status).toBe(204);
    const cycle = bmc.commands.slice(from).find((c) => c.command === 'powerCycle')!;
    expect(cycle.end - cycle.start).toBeCloseTo(12, 9);
    expect(bmc.power('c2')).toBe('on');
  });
});
