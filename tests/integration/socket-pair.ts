import { EventEmitter } from 'node:events';

/**
 * A hand-flushed socket pair between the app's y-websocket provider and the relay's sync
 * server, in one process (after tldraw's sync-core `TestSocketPair`): what either side sends
 * waits in a queue until the test delivers it, so every ordering of messages, acceptances,
 * refusals and drops is chosen by the test and the same on every run.
 *
 * The client end is the browser WebSocket y-websocket expects (`WebSocketPolyfill`); the
 * server end is the part of a `ws` WebSocket that `SyncServer.attach` uses.
 */

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/** A close travelling with the messages, delivered in order. */
interface CloseMark {
	close: { code: number; reason: string };
}
type Queued = Uint8Array | CloseMark;

/** The relay's end: what `SyncServer` reads and writes of a `ws` socket. */
export class ServerEnd extends EventEmitter {
	readonly OPEN = OPEN;
	readyState = CONNECTING;
	readonly bufferedAmount = 0;

	constructor(private readonly pair: SocketPair) {
		super();
	}

	send(msg: Uint8Array): void {
		if (this.readyState !== OPEN) return;
		this.pair.toClient.push(msg.slice());
	}

	/** The relay closes: the close reaches the client after what was sent before it. */
	close(code = 1000, reason = ''): void {
		if (this.readyState === CLOSED) return;
		this.readyState = CLOSED;
		this.pair.toClient.push({ close: { code, reason } });
		this.emit('close', code, Buffer.from(reason));
	}

	terminate(): void {
		this.close(1006, 'terminated');
	}
}

/** The app's end, shaped like the browser's WebSocket. */
export class ClientEnd {
	static readonly CONNECTING = CONNECTING;
	static readonly OPEN = OPEN;
	static readonly CLOSED = CLOSED;
	readonly OPEN = OPEN;
	readyState = CONNECTING;
	binaryType = 'arraybuffer';
	onopen: ((ev: unknown) => void) | null = null;
	onmessage: ((ev: { data: ArrayBuffer }) => void) | null = null;
	onclose: ((ev: { code: number; reason: string }) => void) | null = null;
	onerror: ((ev: unknown) => void) | null = null;

	constructor(private readonly pair: SocketPair) {}

	send(data: ArrayBuffer | Uint8Array): void {
		if (this.readyState !== OPEN) throw new Error('send before open');
		const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
		this.pair.toServer.push(bytes.slice());
	}

	/** The app closes (provider destroyed or reconnecting): the relay sees it after the queue. */
	close(code = 1000, reason = ''): void {
		if (this.readyState === CLOSED) return;
		const wasOpen = this.readyState === OPEN;
		this.readyState = CLOSED;
		if (wasOpen) this.pair.toServer.push({ close: { code, reason } });
	}
}

/** One socket the app opened: its two ends and the two queues between them. */
export class SocketPair {
	/** Replaced by the device's own socket object when the provider opens one. */
	client: ClientEnd;
	readonly server: ServerEnd;
	toServer: Queued[] = [];
	toClient: Queued[] = [];

	constructor(
		/** The URL the app opened (`…/sync/<case>?token=…`). */
		readonly url: URL
	) {
		this.client = new ClientEnd(this);
		this.server = new ServerEnd(this);
	}

	get caseId(): string {
		return decodeURIComponent(this.url.pathname.split('/').pop() ?? '');
	}

	get token(): string {
		return this.url.searchParams.get('token') ?? '';
	}

	get isOpen(): boolean {
		return this.client.readyState === OPEN && this.server.readyState === OPEN;
	}

	/** The handshake completes: the app's `onopen` runs (it queues its sync step 1 at once). */
	open(): void {
		this.server.readyState = OPEN;
		this.client.readyState = OPEN;
		this.client.onopen?.({});
	}

	/** Delivers everything the app sent so far to the relay; returns how many messages. */
	flushToServer(): number {
		const queue = this.toServer;
		this.toServer = [];
		for (const m of queue) {
			if ('close' in m) {
				this.server.readyState = CLOSED;
				this.server.emit('close', m.close.code, Buffer.from(m.close.reason));
			} else if (this.server.readyState === OPEN) {
				this.server.emit('message', Buffer.from(m), true);
			}
		}
		return queue.length;
	}

	/** Delivers everything the relay sent so far to the app; returns how many messages. */
	flushToClient(): number {
		const queue = this.toClient;
		this.toClient = [];
		for (const m of queue) {
			if ('close' in m) {
				this.client.readyState = CLOSED;
				this.client.onclose?.(m.close);
			} else if (this.client.readyState === OPEN) {
				const data = m.buffer.slice(m.byteOffset, m.byteOffset + m.byteLength) as ArrayBuffer;
				this.client.onmessage?.({ data });
			}
		}
		return queue.length;
	}

	get idle(): boolean {
		return this.toServer.length === 0 && this.toClient.length === 0;
	}

	/**
	 * The network fails: what is in flight either way is lost, the relay sees the socket close
	 * and the app's `onclose` runs (1006), so the provider reconnects with a new socket.
	 */
	drop(): void {
		this.toServer = [];
		this.toClient = [];
		if (this.server.readyState !== CLOSED) {
			this.server.readyState = CLOSED;
			this.server.emit('close', 1006, Buffer.from(''));
		}
		if (this.client.readyState !== CLOSED) {
			this.client.readyState = CLOSED;
			this.client.onclose?.({ code: 1006, reason: '' });
		}
	}
}

/**
 * Every socket one device opens, in order. `WebSocket` is the class to hand to the provider;
 * `next()` resolves with the next socket it opens (the test then admits it to the relay).
 */
export class SocketNetwork {
	readonly pairs: SocketPair[] = [];
	#taken = 0;
	#waiting: ((p: SocketPair) => void)[] = [];
	readonly WebSocket: typeof globalThis.WebSocket;

	constructor() {
		const opened = (pair: SocketPair) => {
			this.pairs.push(pair);
			this.#waiting.shift()?.(pair);
		};
		class TestWebSocket extends ClientEnd {
			constructor(url: string | URL) {
				const pair = new SocketPair(new URL(String(url)));
				super(pair);
				// The pair's client end is this object: the provider holds it.
				pair.client = this;
				opened(pair);
			}
		}
		this.WebSocket = TestWebSocket as unknown as typeof globalThis.WebSocket;
	}

	/** The next socket the device opens (already opened and not yet taken, or the coming one). */
	next(): Promise<SocketPair> {
		const i = this.#taken++;
		const have = this.pairs[i];
		if (have) return Promise.resolve(have);
		return new Promise((resolve) => this.#waiting.push(resolve));
	}

	/** The device's current socket: the last one it opened. */
	get current(): SocketPair | undefined {
		return this.pairs[this.pairs.length - 1];
	}
}
