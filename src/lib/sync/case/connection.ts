import type * as Decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import type * as Yjs from 'yjs';
import type { ConnectionState, Peer, SessionUser } from '../contract';
import { peersOf } from '../presence';
import type { Refused } from '../../protocol/ws';

type Engine = typeof import('../engine');

/** Why the relay closed the case for this user (4401, 4403, 4404). */
export type Denial = 'forbidden' | 'not-found' | 'unauthorized';

export interface ConnectionOptions {
	wsBase: string;
	caseId: string;
	token: string;
	doc: Yjs.Doc;
	user: () => SessionUser | null;
	/** Longest wait between reconnection attempts (the app: 5 s). */
	maxBackoffTime?: number;
	/** The socket class (tests: a hand-flushed socket pair); the browser's WebSocket otherwise. */
	WebSocketPolyfill?: typeof WebSocket;
	/** No BroadcastChannel between tabs (tests: several devices in one process). */
	disableBc?: boolean;
	onState: (state: ConnectionState) => void;
	onPeers: (peers: Peer[]) => void;
	/** A first sync, or a resync after a reconnection, completed. */
	onSynced: () => void;
	onAccepted: (sv: Map<number, number>) => void;
	onRefused: (r: Refused) => void;
	onDenied: (why: Denial) => void;
}

/**
 * The live side of one case: a y-websocket provider on the relay's `/sync/<case>`, with
 * handlers for the relay's own `accepted` and `refused` messages (protocol.ts), the connection
 * state shown on the page, and presence (issue 12: one entry per user, never the viewer).
 */
export class Connection {
	readonly provider: WebsocketProvider;

	constructor(
		e: Engine,
		private readonly o: ConnectionOptions
	) {
		const { WebsocketProvider, MESSAGE_ACCEPTED, MESSAGE_REFUSED, readAccepted, readRefused, Y } =
			e;
		const { CLOSE } = e;
		const provider = new WebsocketProvider(o.wsBase, o.caseId, o.doc, {
			params: { token: o.token },
			maxBackoffTime: o.maxBackoffTime ?? 5000,
			...(o.WebSocketPolyfill ? { WebSocketPolyfill: o.WebSocketPolyfill } : {}),
			...(o.disableBc ? { disableBc: true } : {})
		});
		this.provider = provider;
		provider.messageHandlers[MESSAGE_ACCEPTED] = (_e, d: Decoding.Decoder) => {
			const sv = readAccepted(d);
			if (sv) o.onAccepted(Y.decodeStateVector(sv));
		};
		provider.messageHandlers[MESSAGE_REFUSED] = (_e, d: Decoding.Decoder) => {
			const r = readRefused(d);
			if (r) o.onRefused(r);
		};
		provider.on('status', ({ status }: { status: string }) => {
			o.onState(
				status === 'connected'
					? provider.synced
						? 'synced'
						: 'syncing'
					: status === 'connecting'
						? 'connecting'
						: 'offline'
			);
		});
		provider.on('sync', (synced: boolean) => {
			if (provider.wsconnected) o.onState(synced ? 'synced' : 'syncing');
			if (synced) o.onSynced();
		});
		provider.on('closed', (ev: { code: number }) => {
			o.onState('offline');
			if (ev.code === CLOSE.unauthorized) o.onDenied('unauthorized');
			else if (ev.code === CLOSE.forbidden) o.onDenied('forbidden');
			else if (ev.code === CLOSE.notFound) o.onDenied('not-found');
		});
		const user = o.user();
		if (user)
			provider.awareness.setLocalStateField('user', {
				name: user.displayName,
				orgName: user.orgName
			});
		provider.awareness.on('change', () => {
			// Issue 12: one entry per user, never the viewer's own tabs.
			o.onPeers(
				peersOf(provider.awareness.getStates(), {
					clientId: o.doc.clientID,
					userId: o.user()?.id ?? null
				})
			);
		});
	}

	/** Resolves once the relay's state has arrived (the first sync of this provider). */
	whenSynced(): Promise<void> {
		const p = this.provider;
		if (p.synced) return Promise.resolve();
		return new Promise((resolve) => {
			const on = (s: boolean) => {
				if (!s) return;
				p.off('sync', on);
				resolve();
			};
			p.on('sync', on);
		});
	}

	destroy(): void {
		this.provider.destroy();
	}
}
