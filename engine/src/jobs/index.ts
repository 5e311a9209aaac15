export { AcquireJobsCmd, ExecuteJobCmd, JobFailedCmd, SetJobRetriesCmd, type AcquisitionInput } from './commands.js';
export { JobExecutor, type JobExecutorOptions } from './job-executor.js';
