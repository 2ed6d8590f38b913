/**
 * Numbered schema migrations. Each runs in one transaction that also sets `user_version` to its
 * number, so a database is always at exactly one version; a database newer than this build is
 * refused. Append only: a released migration never changes.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('images', 'events')),
        layout TEXT NOT NULL,
        classes TEXT NOT NULL,          -- JSON array of class names
        shape TEXT,                     -- JSON [H, W, C] of a sample, when known
        sensor TEXT,                    -- JSON {width, height} for event datasets
        sample_count INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE samples (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        file TEXT NOT NULL,             -- relative to the dataset folder
        record INTEGER,                 -- record number inside a container file (CIFAR, IDX)
        label INTEGER NOT NULL,
        split TEXT NOT NULL,
        start_us REAL,
        end_us REAL,
        events INTEGER,
        duration_us REAL,
        PRIMARY KEY (dataset_id, idx)
      );
      CREATE INDEX samples_by_split ON samples(dataset_id, split, label);
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        source_path TEXT NOT NULL,
        format TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        artifact TEXT NOT NULL,         -- copy of the imported IR (.tppw) under artifacts/
        summary TEXT NOT NULL,          -- JSON model summary
        params INTEGER NOT NULL,
        macs INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX models_by_hash ON models(sha256);
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('dataset-index', 'model-import', 'run')),
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        params TEXT NOT NULL,           -- JSON job arguments
        progress_step TEXT,
        progress_current REAL,
        progress_total REAL,
        eta_ms REAL,
        error TEXT,                     -- JSON {kind, message}
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        pid INTEGER,
        result_ref TEXT,                -- what the job produced, e.g. {"datasetId": 3}
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
      );
      CREATE INDEX jobs_by_status ON jobs(status, id);
      CREATE TABLE conversions (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL UNIQUE REFERENCES jobs(id) ON DELETE CASCADE,
        model_id INTEGER NOT NULL REFERENCES models(id),
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        config TEXT NOT NULL,           -- JSON study spec and data options
        summary TEXT,                   -- JSON RunResult once finished
        units_done INTEGER NOT NULL DEFAULT 0, -- simulation units stored (kept with each unit)
        created_at TEXT NOT NULL
      );
      CREATE INDEX conversions_by_model ON conversions(model_id);
      CREATE INDEX conversions_by_dataset ON conversions(dataset_id);
      CREATE TABLE results (
        id INTEGER PRIMARY KEY,
        conversion_id INTEGER NOT NULL REFERENCES conversions(id) ON DELETE CASCADE,
        unit_key TEXT NOT NULL,         -- the simulation unit that measured it (for resume)
        method TEXT NOT NULL,
        t INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        samples INTEGER NOT NULL,
        correct INTEGER NOT NULL,
        top5 INTEGER NOT NULL,
        UNIQUE (conversion_id, method, t, seed)
      );
      CREATE INDEX results_by_conversion ON results(conversion_id, method, t);
      CREATE INDEX results_by_unit ON results(conversion_id, unit_key);
      CREATE TABLE layer_metrics (
        result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
        node TEXT NOT NULL,
        trace TEXT NOT NULL,            -- JSON summed layer trace (spikes per step, residual, …)
        PRIMARY KEY (result_id, node)
      );
      CREATE TABLE job_logs (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        level TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')),
        message TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX job_logs_by_job ON job_logs(job_id, id);
      CREATE TABLE artifacts (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        path TEXT NOT NULL,             -- relative to the data directory
        sha256 TEXT,
        bytes INTEGER NOT NULL,
        owner TEXT,                     -- e.g. "model:3"
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'worker identity and dispatch marks',
    sql: `
      -- With pid, the identity of a running job's worker: its start time as the OS tells it (Linux:
      -- /proc/<pid>/stat field 22), so a recycled pid is not taken for the worker that died.
      ALTER TABLE jobs ADD COLUMN worker_started TEXT;
      -- When a dispatcher last started a worker for this queued job (ms since the epoch), so that
      -- racing dispatchers start one worker per job, not one each.
      ALTER TABLE jobs ADD COLUMN dispatched_at INTEGER;
    `,
  },
  {
    version: 3,
    name: 'confusion counts, accuracy per step, attribution units',
    sql: `
      -- Per result row, the K × K (label, prediction) counts as a JSON array, row-major, and the
      -- samples right at each step of the window; NULL in rows stored before they were counted.
      ALTER TABLE results ADD COLUMN confusion TEXT;
      ALTER TABLE results ADD COLUMN step_correct TEXT;
      -- The attribution study's units (the network cut after a spiking layer): one window each,
      -- only their accuracy is kept; apart from results, whose rows are one per (method, T, seed).
      CREATE TABLE cut_results (
        id INTEGER PRIMARY KEY,
        conversion_id INTEGER NOT NULL REFERENCES conversions(id) ON DELETE CASCADE,
        unit_key TEXT NOT NULL,
        samples INTEGER NOT NULL,
        correct INTEGER NOT NULL,
        UNIQUE (conversion_id, unit_key)
      );
    `,
  },
];
