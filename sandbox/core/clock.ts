/** The sandbox's notion of "now": real time plus an offset that tests move forward. */
export class SandboxClock {
	private offsetMs = 0;

	now(): number {
		return Date.now() + this.offsetMs;
	}

	date(): Date {
		return new Date(this.now());
	}

	advance(seconds: number): void {
		this.offsetMs += Math.round(seconds * 1000);
	}

	reset(): void {
		this.offsetMs = 0;
	}

	/** Ottu's timestamp_utc format: "2023-11-02 09:00:07". */
	timestampUtc(): string {
		return this.date().toISOString().slice(0, 19).replace('T', ' ');
	}
}
