/** The plain types fsx's calls take and give (index.ts re-exports them). */

/** A descriptor number (close it with closeFd; Node's fd-based fs calls accept it too). */
export type Fd = number;

/** Seconds (negative before 1970) and nanoseconds (0..999999999). */
export interface Time {
  readonly sec: number;
  readonly nsec: number;
}
