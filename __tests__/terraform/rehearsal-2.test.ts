/** Shard 2 of 2 of the terraform validate + rehearsal of the default app and the examples (see support/rehearsal.ts). */
import { rehearsalSuite } from '../support/rehearsal';

rehearsalSuite(1, 2);
