import { ArtifactsRepo } from './artifacts';
import { ConversionsRepo } from './conversions';
import { openDatabase, schemaVersion, type Db } from './database';
import { openDataDir, type DataDir } from './data-dir';
import { DatasetsRepo } from './datasets';
import { JobLogsRepo } from './job-logs';
import { JobsRepo } from './jobs';
import { ModelsRepo } from './models';

/** A data directory opened: the database brought up to date and one repository per table group. */
export interface Store {
  readonly dir: DataDir;
  readonly db: Db;
  readonly jobs: JobsRepo;
  readonly logs: JobLogsRepo;
  readonly datasets: DatasetsRepo;
  readonly models: ModelsRepo;
  readonly conversions: ConversionsRepo;
  readonly artifacts: ArtifactsRepo;
  readonly schemaVersion: number;
  close(): void;
}

export function openStore(root: string): Store {
  const dir = openDataDir(root);
  const db = openDatabase(dir.database);
  return {
    dir,
    db,
    jobs: new JobsRepo(db),
    logs: new JobLogsRepo(db),
    datasets: new DatasetsRepo(db),
    models: new ModelsRepo(db),
    conversions: new ConversionsRepo(db),
    artifacts: new ArtifactsRepo(db),
    schemaVersion: schemaVersion(db),
    close: () => db.close(),
  };
}
