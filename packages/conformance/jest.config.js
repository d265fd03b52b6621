import { jestConfig } from "../../jest.base.mjs";

// Whole conformance runs against real servers (thousands of fuzz cases in CI): minutes per test.
export default jestConfig({ testTimeout: 300_000 });
