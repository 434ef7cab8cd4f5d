// A partition assigner that waits for a job's sibling members (a threaded pusher's threads) before handing out partitions.
import { AssignerProtocol, PartitionAssigners } from 'kafkajs';
import type { PartitionAssigner } from 'kafkajs';

export const GATHERING_ASSIGNER = 'SluiceGatheringAssigner';

export interface GatheringOptions {
  /** Members that start together (the pusher's threads): until this many have joined, nobody gets a partition. */
  readonly members: number;
  /** After this long (from the consumer's creation, ms), partitions go to whoever is there, as usual. */
  readonly holdMs: number;
  readonly now?: () => number;
}

/**
 * Threads of one pusher join a job's group a few milliseconds apart, and with the broker's usual
 * `group.initial.rebalance.delay.ms` of 0 the first one gets every partition at once. It would read
 * for up to a heartbeat interval before the next member's join reached it, and all of that would be
 * dropped and read again by the new owners. Holding the assignment until the siblings are in makes the
 * first generation that reads one in which every thread has its share: nothing is read twice.
 * Round robin otherwise, which is also what a member without this assigner falls back to (listed second).
 */
export function gatheringAssigners(options: GatheringOptions): PartitionAssigner[] {
  const now = options.now ?? Date.now;
  const gathering: PartitionAssigner = (config) => {
    const roundRobin = PartitionAssigners.roundRobin(config);
    const holdUntil = now() + options.holdMs;
    return {
      name: GATHERING_ASSIGNER,
      version: 0,
      async assign(group) {
        if (group.members.length >= options.members || now() >= holdUntil) return roundRobin.assign(group);
        config.logger.info('waiting for the other threads before assigning partitions', { members: group.members.length, expected: options.members });
        return group.members.map(({ memberId }) => ({ memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: {}, userData: Buffer.alloc(0) }) }));
      },
      protocol: ({ topics }) => ({ name: GATHERING_ASSIGNER, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) }),
    };
  };
  return [gathering, PartitionAssigners.roundRobin];
}
