import { jestConfig } from "../../jest.base.mjs";

// The drift check regenerates every document and the pack test runs npm install: minutes, not seconds.
export default jestConfig({ testTimeout: 180_000 });
