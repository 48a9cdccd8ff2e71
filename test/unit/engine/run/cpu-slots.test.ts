import { describe, expect, it } from 'vitest';
import { CpuSlots } from '../../../../engine/run/cpu-slots.js';

/** Resolves once the microtask queue has drained, so settled acquisitions are visible. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('CpuSlots', () => {
  it('holds a claim of k slots until released, rounding up and clamping to the capacity', async () => {
    const slots = new CpuSlots(4);
    expect([0.5, 1, 2.2, 4, 9].map((cpu) => slots.weightOf(cpu))).toEqual([1, 1, 3, 4, 4]);
    await slots.acquire(3);
    expect(slots.free).toBe(1);
    let second = false;
    const waiting = slots.acquire(2).then(() => {
      second = true;
    });
    await settle();
    expect(second).toBe(false);
    slots.release(3);
    await waiting;
    expect(second).toBe(true);
    expect(slots.free).toBe(2);
    // A claim above the capacity takes all of it and still runs.
    slots.release(2);
    await slots.acquire(9);
    expect(slots.free).toBe(0);
  });

  it('serves first come first served: a waiting heavy claim is not starved by light ones', async () => {
    const slots = new CpuSlots(2);
    const order: string[] = [];
    await slots.acquire(1); // a light step runs
    const heavy = slots.acquire(2).then(() => order.push('heavy'));
    const light = slots.acquire(1).then(() => order.push('light')); // would fit now, but waits its turn
    await settle();
    expect(order).toEqual([]);
    slots.release(1);
    await heavy;
    expect(order).toEqual(['heavy']);
    slots.release(2);
    await light;
    expect(order).toEqual(['heavy', 'light']);
  });

  it('drops an aborted waiter without taking slots, and lets the ones behind it through', async () => {
    const slots = new CpuSlots(2);
    await slots.acquire(1);
    const controller = new AbortController();
    const aborted = slots.acquire(2, controller.signal);
    let lightDone = false;
    const light = slots.acquire(1).then(() => {
      lightDone = true;
    });
    await settle();
    expect(lightDone).toBe(false);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    await light;
    expect(slots.free).toBe(0);
    expect(() => new CpuSlots(0)).toThrow(/integer from 1 and up, got `0`/);
  });
});
