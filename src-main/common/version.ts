/** The workbench's version, kept in step with package.json's (a test checks). */
export const WORKBENCH_VERSION = '0.1.0';
