// The engine behind a company proxy that asks for a sign-in (tinyproxy with Basic authentication,
// between the engine and the simulator): the sign-in fails in words and asks for the proxy's
// credentials, wrong ones are said to be wrong, right ones let everything through — the token
// endpoint, REST, the notification socket and the user's actions.
import { afterEach, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../src/main/auth/secret-store.ts';
import { Network } from '../../src/main/net/network.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { runEngine, type EngineRun } from '../support/engine-harness.ts';
import { startTinyproxy, type TestProxy } from '../support/tinyproxy.ts';

let sim: Simulator | null = null;
let proxy: TestProxy | null = null;
let network: Network | null = null;
let run: EngineRun | null = null;

afterEach(async () => {
  await run?.stop();
  await network?.close();
  await proxy?.stop();
  await sim?.close();
  run = network = proxy = sim = null;
});

describe('the engine behind a proxy that asks for a sign-in', () => {
  it('asks once, says wrong credentials are wrong, and then signs in, reads, pushes and acts through it', async () => {
    sim = await startSimulator({ seed: 41, quiet: true });
    proxy = await startTinyproxy({ basicAuth: { user: 'agent', password: 'right-pw' } });
    network = new Network({
      explicit: proxy.address,
      proxyLoopback: true,
      secrets: createMemorySecretStore(),
    });
    run = await runEngine(sim, { network, signIn: false });
    const { engine } = run;

    await expect(engine.signIn()).rejects.toThrow(
      `The proxy refused the connection (407): the proxy at ${proxy.address} asks for a user name and password.`,
    );
    expect(engine.state.get()).toMatchObject({
      connection: 'signed-out',
      proxySignIn: { proxy: proxy.address, realm: 'Tinyproxy', rejected: false },
    });
    expect(engine.state.get().notice).toContain('(407)');

    await network.setProxyCredentials(proxy.address, { username: 'agent', password: 'wrong-pw' });
    await expect(engine.signIn()).rejects.toThrow(/did not accept the user name and password/);
    await run.until((r) => r.engine.state.get().proxySignIn?.rejected === true, 2000, 'the refusal shown');

    await network.setProxyCredentials(proxy.address, { username: 'agent', password: 'right-pw' });
    await run.until((r) => r.engine.state.get().proxySignIn === undefined, 2000, 'the request withdrawn');
    await engine.signIn();
    await run.until((r) => r.engine.state.get().connection === 'push', 10_000, 'push through the proxy');
    await run.until((r) => r.engine.state.get().lastSyncAt !== null, 10_000, 'the first sync');

    // The notification socket goes through the proxy: dropping it makes a new tunnel.
    const simPort = `127.0.0.1:${sim.port}`;
    const before = proxy.connects().filter((c) => c === simPort).length;
    sim.control.dropSockets();
    await run.until(
      () => proxy!.connects().filter((c) => c === simPort).length > before,
      10_000,
      'a new tunnel for the socket',
    );
    await run.until((r) => r.engine.state.get().connection === 'push', 10_000, 'push again');

    // A colleague mentions the user: notified once, over the tunnelled socket.
    const me = sim.demoUser;
    const colleague = sim.users.find((u) => u.id !== me.id)!;
    const room = sim.control
      .chats(me.id)
      .find((c) => c.kind === 'room' && c.participants.includes(colleague.id))!;
    const posted = sim.control.post({
      as: colleague.id,
      room: room.jid!,
      body: `@${me.name} the proxy is fine`,
      mentions: [me.id],
    });
    await run.until((r) => r.shown.some((n) => n.messageIds.includes(posted.id)), 5000, 'the mention');
    expect(run.shown.filter((n) => n.messageIds.includes(posted.id))).toHaveLength(1);

    // The user's reply goes out through the proxy too.
    const chat = engine.chat(room.jid!)!;
    const item = await engine.act({ kind: 'reply', chat, text: 'answered through the proxy' });
    await run.until(
      (r) => r.engine.state.get().outbox.some((o) => o.id === item.id && o.state === 'sent'),
      5000,
      'the reply sent',
    );
    const sent = engine.state.get().outbox.find((o) => o.id === item.id)!;
    expect(sim.control.message(sent.messageId!)).toMatchObject({ body: 'answered through the proxy' });
    // The token exchange, REST and the socket each came through tunnels to the simulator.
    expect(proxy.connects().filter((c) => c === simPort).length).toBeGreaterThanOrEqual(2);
  });
});
