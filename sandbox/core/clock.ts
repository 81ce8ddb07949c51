/** The sandbox's notion of "now": real time plus an offset that tests move forward, or a frozen instant. */
export class SandboxClock {
	private offsetMs = 0;
	private frozenAt: number | null = null;

	now(): number {
		return this.frozenAt ?? Date.now() + this.offsetMs;
	}

	date(): Date {
		return new Date(this.now());
	}

	advance(seconds: number): void {
		const ms = Math.round(seconds * 1000);
		if (this.frozenAt !== null) this.frozenAt += ms;
		else this.offsetMs += ms;
	}

	/** Stops time (for exact throttle and expiry arithmetic in tests); `advance` still moves it. */
	freeze(): void {
		this.frozenAt ??= this.now();
	}

	unfreeze(): void {
		if (this.frozenAt === null) return;
		this.offsetMs = this.frozenAt - Date.now();
		this.frozenAt = null;
	}

	get frozen(): boolean {
		return this.frozenAt !== null;
	}

	reset(): void {
		this.offsetMs = 0;
		this.frozenAt = null;
	}

	/** Ottu's timestamp_utc format: "2023-11-02 09:00:07". */
	timestampUtc(): string {
		return this.date().toISOString().slice(0, 19).replace('T', ' ');
	}
}
