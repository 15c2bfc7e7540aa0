-- Team memory: what each kx shares, one row per shared record, keyed by the machine that made it and
-- its id there. A push is an idempotent upsert; every change takes the next change_seq, which is the
-- cursor readers pull by (pushes are serialised by an advisory lock, so change_seq order is commit order).

CREATE SEQUENCE team_change_seq;

CREATE TABLE team_records (
  machine_id  text        NOT NULL,            -- the kx that made the record (its documents folder)
  kind        text        NOT NULL,            -- note | gap | summary
  local_id    text        NOT NULL,            -- its id there: turn id | gap id | session id
  project_key text        NOT NULL,            -- normalised git remote, else folder:<name>
  author      text        NOT NULL,            -- who made it (KX_TEAM_AUTHOR, else the login name)
  session_id  text,                            -- the session it came from
  data        jsonb       NOT NULL,            -- the distilled, redacted record
  deleted     boolean     NOT NULL DEFAULT false, -- a tombstone: data is emptied, the key stays
  changed_at  timestamptz NOT NULL,            -- when the change was made (last writer wins by it)
  changed_by  text        NOT NULL,            -- the machine that made the change
  change_seq  bigint      NOT NULL DEFAULT nextval('team_change_seq'),
  PRIMARY KEY (machine_id, kind, local_id)
);
CREATE INDEX team_records_seq ON team_records (change_seq);
CREATE INDEX team_records_project ON team_records (project_key, kind);

-- A gap's life, every change kept: opened, seen again, resolved, reopened, by whom and when.
CREATE TABLE team_gap_history (
  machine_id text        NOT NULL,
  local_id   text        NOT NULL,
  status     text        NOT NULL,
  how        text,
  by_machine text        NOT NULL,
  by_author  text        NOT NULL,
  at         timestamptz NOT NULL,
  UNIQUE (machine_id, local_id, status, by_machine, at)
);

-- The machines that pushed, and when they last did.
CREATE TABLE team_machines (
  machine_id text PRIMARY KEY,
  author     text        NOT NULL,
  last_push  timestamptz NOT NULL
);
