/** The mutation helper lives in src-main/common/mutate.ts (bench/fuzz-formats.ts uses it too). */
export { mutate } from '../../src-main/common/mutate';
