import { jestConfig } from "../../jest.base.mjs";

// Real HTTP, real databases, spawned and killed servers, restarted PostgreSQL clusters: some tests
// take 20 s and more. The files share one PostgreSQL server and time-sensitive load, so they run
// in band (`--runInBand` in the test script), one after the other.
export default jestConfig({ testTimeout: 180_000 });
