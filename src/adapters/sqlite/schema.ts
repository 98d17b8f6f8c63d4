/** The registry's schema, one step per version; a database is brought up to date on open. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    channel TEXT NOT NULL,
    received_at TEXT NOT NULL,
    source_name TEXT,
    source_sha256 TEXT,
    folder TEXT NOT NULL,
    staging_dir TEXT,
    intake_state TEXT NOT NULL,
    ocr_text TEXT NOT NULL DEFAULT '',
    ocr_confidence REAL,
    ocr_engine TEXT,
    flags TEXT NOT NULL DEFAULT '[]',
    UNIQUE (year, seq)
  );
  CREATE INDEX cases_source_sha ON cases(source_sha256);
  CREATE TABLE pages (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    page_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    confidence REAL NOT NULL,
    low_confidence INTEGER NOT NULL,
    rotation INTEGER NOT NULL,
    skew REAL NOT NULL,
    lines TEXT NOT NULL,
    PRIMARY KEY (case_id, page_no)
  );
  CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    role TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    pages INTEGER NOT NULL,
    bytes INTEGER NOT NULL
  );
  CREATE INDEX documents_sha ON documents(sha256);
  `,
  `
  ALTER TABLE cases ADD COLUMN petitioner_name TEXT;
  ALTER TABLE cases ADD COLUMN phone TEXT;
  ALTER TABLE cases ADD COLUMN id_number TEXT;
  ALTER TABLE cases ADD COLUMN address TEXT;
  ALTER TABLE cases ADD COLUMN letter_date TEXT;
  ALTER TABLE cases ADD COLUMN signatories INTEGER;
  ALTER TABLE cases ADD COLUMN summary TEXT;
  ALTER TABLE cases ADD COLUMN category TEXT;
  ALTER TABLE cases ADD COLUMN handling_type TEXT;
  ALTER TABLE cases ADD COLUMN field_sources TEXT NOT NULL DEFAULT '{}';
  ALTER TABLE cases ADD COLUMN urgent_words TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE cases ADD COLUMN repeat_of INTEGER REFERENCES cases(id);
  ALTER TABLE cases ADD COLUMN from_office TEXT;
  ALTER TABLE cases ADD COLUMN from_number TEXT;
  CREATE INDEX cases_id_number ON cases(id_number);
  CREATE INDEX cases_name_phone ON cases(petitioner_name, phone);
  CREATE INDEX cases_category_received ON cases(category, received_at);
  CREATE TABLE field_edits (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    by TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE VIRTUAL TABLE case_search USING fts5(grams, tokenize = 'unicode61');
  `,
  `
  ALTER TABLE cases ADD COLUMN handler TEXT;
  ALTER TABLE cases ADD COLUMN instruction_leader TEXT;
  ALTER TABLE cases ADD COLUMN instruction_text TEXT;
  ALTER TABLE cases ADD COLUMN instruction_at TEXT;
  ALTER TABLE cases ADD COLUMN due_date TEXT;
  ALTER TABLE cases ADD COLUMN accepted_at TEXT;
  ALTER TABLE cases ADD COLUMN declined_at TEXT;
  ALTER TABLE cases ADD COLUMN decline_reason TEXT;
  ALTER TABLE cases ADD COLUMN extension_days INTEGER;
  ALTER TABLE cases ADD COLUMN extension_reason TEXT;
  ALTER TABLE cases ADD COLUMN extended_at TEXT;
  ALTER TABLE cases ADD COLUMN outcome TEXT;
  ALTER TABLE cases ADD COLUMN facts TEXT;
  ALTER TABLE cases ADD COLUMN basis TEXT;
  ALTER TABLE cases ADD COLUMN replied_at TEXT;
  ALTER TABLE cases ADD COLUMN reported_at TEXT;
  ALTER TABLE cases ADD COLUMN closed_at TEXT;
  ALTER TABLE cases ADD COLUMN history_head TEXT;
  ALTER TABLE cases ADD COLUMN history_count INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX cases_status ON cases(status);
  ALTER TABLE documents ADD COLUMN kind TEXT;
  ALTER TABLE documents ADD COLUMN text TEXT;
  ALTER TABLE documents ADD COLUMN source_name TEXT;
  CREATE TABLE history (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
  );
  `,
  `
  CREATE INDEX documents_case ON documents(case_id, role, kind);
  `,
  `
  ALTER TABLE cases ADD COLUMN archive_ref TEXT;
  ALTER TABLE cases ADD COLUMN archive_item INTEGER;
  ALTER TABLE cases ADD COLUMN archive_retention TEXT;
  ALTER TABLE cases ADD COLUMN bound_at TEXT;
  CREATE UNIQUE INDEX cases_archive_ref ON cases(archive_ref);
  CREATE TABLE volumes (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    volume INTEGER NOT NULL,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    cases TEXT NOT NULL,
    made_at TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE counters (
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    next INTEGER NOT NULL,
    PRIMARY KEY (name, year)
  );
  INSERT INTO counters (name, year, next) SELECT 'case', year, MAX(seq) + 1 FROM cases GROUP BY year;
  INSERT INTO counters (name, year, next)
    SELECT 'binding:' || archive_retention, year, MAX(archive_item) + 1 FROM cases WHERE archive_item IS NOT NULL GROUP BY year, archive_retention;
  UPDATE documents SET role = 'issued' WHERE role = 'letter';
  CREATE TABLE file_journal (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    kind TEXT NOT NULL,
    temp TEXT,
    final TEXT NOT NULL,
    sha256 TEXT
  );
  `,
  `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_expiry ON sessions(expires_at);
  `,
  `
  CREATE INDEX cases_received ON cases(received_at);
  CREATE INDEX cases_status_received ON cases(status, received_at);
  CREATE INDEX cases_handler_received ON cases(handler, received_at);
  `,
  // The web case list (SqliteStore.queryCases): in each of its orders, every column a filter looks
  // at, so that a page and its count are read from the index without opening a case's row. The
  // step before's indexes served its first version; nothing else reads them.
  `
  CREATE INDEX cases_list_received ON cases(received_at, year, seq, status, channel, category, handler, flags);
  CREATE INDEX cases_list_number ON cases(year, seq, received_at, status, channel, category, handler, flags);
  DROP INDEX cases_received;
  DROP INDEX cases_status_received;
  DROP INDEX cases_handler_received;
  `,
  // Who handed a scan in through the web, by the fingerprint of each file, so the intake registers
  // the letter under that person; also the record of every upload.
  `
  CREATE TABLE uploads (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX uploads_sha256 ON uploads(sha256);
  `,
  // A bound year volume is never replaced: later cases go into the next volume, and a rebuild is a
  // new edition beside the earlier one, which stays on file marked as superseded.
  `
  ALTER TABLE volumes ADD COLUMN edition INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE volumes ADD COLUMN superseded_at TEXT;
  `,
  // A clerk's word that a case flagged for review has been looked at: it leaves the review queue.
  `
  ALTER TABLE cases ADD COLUMN reviewed_at TEXT;
  ALTER TABLE cases ADD COLUMN reviewed_by TEXT;
  `,
  // How sure the program was of the category and handling type it suggested (0–1, JSON).
  `
  ALTER TABLE cases ADD COLUMN judgements TEXT;
  `,
  // Step 14: clerks' readings of scanned lines beside the OCR's, the letter's corrected text, each page's line-box frame.
  `
  CREATE TABLE line_corrections (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    page_no INTEGER NOT NULL,
    line_no INTEGER NOT NULL,
    ocr_text TEXT NOT NULL,
    text TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX line_corrections_case ON line_corrections(case_id, id);
  ALTER TABLE cases ADD COLUMN corrected_text TEXT;
  ALTER TABLE pages ADD COLUMN frame_width INTEGER;
  ALTER TABLE pages ADD COLUMN frame_height INTEGER;
  `,
  // Step 15 (issue 16): alerts to leaders and handlers, each once by its key, who each is for, who read it, who took charge.
  `
  CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    deadline TEXT,
    due_date TEXT,
    recipients TEXT NOT NULL,
    created_at TEXT NOT NULL,
    charge_person TEXT,
    charge_note TEXT,
    charge_by TEXT,
    charge_at TEXT
  );
  CREATE INDEX alerts_case ON alerts(case_id);
  CREATE INDEX alerts_awaiting_charge ON alerts(id) WHERE charge_at IS NULL AND kind IN ('urgent', 'group');
  CREATE TABLE alert_recipients (
    alert_id INTEGER NOT NULL REFERENCES alerts(id),
    role TEXT,
    user_name TEXT
  );
  CREATE INDEX alert_recipients_role ON alert_recipients(role, alert_id);
  CREATE INDEX alert_recipients_user ON alert_recipients(user_name, alert_id);
  CREATE TABLE alert_reads (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts(id),
    user_name TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (alert_id, user_name)
  );
  CREATE INDEX alert_reads_user ON alert_reads(user_name, id);
  `,
  // Step 16: every saved text of an office template, with who saved it and when (the file holds the latest).
  `
  CREATE TABLE template_versions (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    text TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX template_versions_type ON template_versions(type, id);
  `,
  // Step 17: the audit log's own entries (who saw a case's personal details in full, what the administrator changed), and the times it is read by.
  `
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    detail TEXT NOT NULL
  );
  CREATE INDEX audit_at ON audit(at);
  CREATE INDEX history_at ON history(at);
  CREATE INDEX field_edits_at ON field_edits(at);
  `,
  // Step 18: a counter every write to cases moves (sessions do not), so figures worked out from the cases can be kept until it does.
  `
  CREATE TABLE cases_version (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
  INSERT INTO cases_version (id, n) VALUES (1, 0);
  CREATE TRIGGER cases_version_insert AFTER INSERT ON cases BEGIN UPDATE cases_version SET n = n + 1; END;
  CREATE TRIGGER cases_version_update AFTER UPDATE ON cases BEGIN UPDATE cases_version SET n = n + 1; END;
  CREATE TRIGGER cases_version_delete AFTER DELETE ON cases BEGIN UPDATE cases_version SET n = n + 1; END;
  `,
  // Step 19 (issue 17): a transferred case signed for (签收) by whom and when, or sent back (退回) and why.
  `
  ALTER TABLE cases ADD COLUMN signed_by TEXT;
  ALTER TABLE cases ADD COLUMN signed_at TEXT;
  ALTER TABLE cases ADD COLUMN returned_at TEXT;
  ALTER TABLE cases ADD COLUMN return_reason TEXT;
  `,
  // Step 20 (issue 17): the latest 督办 of a case (who, demand, due date, the answer, the 催办 given), as JSON.
  `
  ALTER TABLE cases ADD COLUMN supervision TEXT;
  `,
  // Step 21 (issue 17, leaders' reception days and 包案): the schedule of reception days; on a case, the leader who received a visit and the leader in charge (包案).
  `
  CREATE TABLE reception_days (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    leader TEXT NOT NULL,
    place TEXT NOT NULL,
    time TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX reception_days_day ON reception_days(day);
  ALTER TABLE cases ADD COLUMN received_by_leader TEXT;
  ALTER TABLE cases ADD COLUMN case_leader TEXT;
  ALTER TABLE cases ADD COLUMN case_leader_by TEXT;
  ALTER TABLE cases ADD COLUMN case_leader_at TEXT;
  `,
  // Step 22 (issue 17, 一岗双责): each cadre's linked units and enterprises, and each screening of one (a finding, or a zero report).
  `
  CREATE TABLE duty_links (
    id INTEGER PRIMARY KEY,
    cadre TEXT NOT NULL,
    unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (cadre, unit)
  );
  CREATE TABLE screenings (
    id INTEGER PRIMARY KEY,
    cadre TEXT NOT NULL,
    unit TEXT NOT NULL,
    day TEXT NOT NULL,
    finding TEXT,
    by TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX screenings_day ON screenings(day);
  `,
  // Step 23 (issue 17, 回访 and 满意度): the latest return visit of a replied case (when, how, by whom, the petitioner's evaluation), as JSON.
  `
  ALTER TABLE cases ADD COLUMN return_visit TEXT;
  `,
  // Step 24 (issue 17, 复查 and 复核): the requests for review of a replied case with the body's decisions, oldest first, as a JSON list.
  `
  ALTER TABLE cases ADD COLUMN reviews TEXT;
  `,
  // Step 25 (issue 17, 信息员): informants' reports of early signs (苗头), numbered per year from the counter 'sign'; an alert may be about one instead of a case.
  `
  CREATE TABLE sign_reports (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    place TEXT NOT NULL,
    people TEXT NOT NULL,
    matter TEXT NOT NULL,
    risk TEXT NOT NULL,
    reporter TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    case_id INTEGER REFERENCES cases(id),
    outcome TEXT,
    closed_by TEXT,
    closed_at TEXT,
    UNIQUE (year, seq)
  );
  CREATE INDEX sign_reports_by ON sign_reports(by, id);
  CREATE INDEX sign_reports_reported_at ON sign_reports(reported_at);
  CREATE TABLE alerts_next (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    deadline TEXT,
    due_date TEXT,
    recipients TEXT NOT NULL,
    created_at TEXT NOT NULL,
    charge_person TEXT,
    charge_note TEXT,
    charge_by TEXT,
    charge_at TEXT,
    sign_id INTEGER REFERENCES sign_reports(id),
    CHECK (case_id IS NOT NULL OR sign_id IS NOT NULL)
  );
  INSERT INTO alerts_next (id, key, kind, case_id, deadline, due_date, recipients, created_at, charge_person, charge_note, charge_by, charge_at)
    SELECT id, key, kind, case_id, deadline, due_date, recipients, created_at, charge_person, charge_note, charge_by, charge_at FROM alerts;
  DROP TABLE alerts;
  ALTER TABLE alerts_next RENAME TO alerts;
  CREATE INDEX alerts_case ON alerts(case_id);
  CREATE INDEX alerts_sign ON alerts(sign_id);
  CREATE INDEX alerts_awaiting_charge ON alerts(id) WHERE charge_at IS NULL AND kind IN ('urgent', 'group');
  `,
  // Step 26 (issue 17, 值班 and 通讯录): the leading group's duty roster (day, person, phone) and contact list; who was on duty, as the urgent alert named them.
  `
  CREATE TABLE duty_roster (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    person TEXT NOT NULL,
    phone TEXT NOT NULL,
    post TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (day, person)
  );
  CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    post TEXT NOT NULL,
    phones TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL
  );
  ALTER TABLE alerts ADD COLUMN on_duty TEXT;
  `,
];
