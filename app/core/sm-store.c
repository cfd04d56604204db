/* sm-store.c: the local SQLite database of a seat
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "sm-fts-tokenizer.h"
#include "sm-store.h"

struct _SmStore
{
  GObject   parent_instance;

  sqlite3  *db;
  char     *path;
  int       schema_version;
};

G_DEFINE_FINAL_TYPE (SmStore, sm_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (sm-store-error-quark, sm_store_error)

/* Migrations
 *
 * Each entry moves the schema from version - 1 to version. They run in one
 * transaction at open, in order, for every version above PRAGMA user_version.
 * Never edit a migration that has shipped: append a new one.
 *
 * Times are INTEGER milliseconds since the Unix epoch, UTC.
 */
typedef struct
{
  int         version;
  const char *sql;
} Migration;

static const Migration migrations[] = {
  { 1,
    /* Agents and their recorded states (DESIGN.md "state" records) */
    "CREATE TABLE agents ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  team TEXT"
    ");"
    "CREATE TABLE agent_states ("
    "  id INTEGER PRIMARY KEY,"
    "  agent TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('available','on_contact','acw','break',"
    "                                       'lunch','meeting','training','offline')),"
    "  start_ms INTEGER NOT NULL,"
    "  end_ms INTEGER,"
    "  CHECK (end_ms IS NULL OR end_ms >= start_ms)"
    ");"
    "CREATE INDEX agent_states_agent_start ON agent_states (agent, start_ms);"
    "CREATE INDEX agent_states_start ON agent_states (start_ms);"
    /* Scheduled shift activities (DESIGN.md "shift" records) */
    "CREATE TABLE shifts ("
    "  id INTEGER PRIMARY KEY,"
    "  agent TEXT NOT NULL,"
    "  activity TEXT NOT NULL CHECK (activity IN ('work','break','lunch','meeting','training')),"
    "  start_ms INTEGER NOT NULL,"
    "  end_ms INTEGER NOT NULL,"
    "  CHECK (end_ms > start_ms)"
    ");"
    "CREATE INDEX shifts_agent_start ON shifts (agent, start_ms);"
    "CREATE INDEX shifts_start ON shifts (start_ms);"
    /* Customers, looked up by phone number at the screen pop */
    "CREATE TABLE customers ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  segment TEXT,"
    "  language TEXT,"
    "  customer_since TEXT,"
    "  products TEXT"
    ");"
    "CREATE TABLE customer_phones ("
    "  number TEXT NOT NULL,"
    "  customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,"
    "  PRIMARY KEY (number, customer_id)"
    ");"
    "CREATE INDEX customer_phones_customer ON customer_phones (customer_id);"
    "CREATE TABLE cards ("
    "  id INTEGER PRIMARY KEY,"
    "  customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,"
    "  masked TEXT NOT NULL,"
    "  product TEXT,"
    "  status TEXT NOT NULL DEFAULT 'active'"
    ");"
    "CREATE INDEX cards_customer ON cards (customer_id);"
    "CREATE TABLE risk_flags ("
    "  customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,"
    "  flag TEXT NOT NULL,"
    "  note TEXT,"
    "  since_ms INTEGER,"
    "  PRIMARY KEY (customer_id, flag)"
    ");"
    /* Contact records (DESIGN.md "contact" records) */
    "CREATE TABLE contacts ("
    "  id TEXT PRIMARY KEY,"
    "  queue TEXT,"
    "  agent TEXT,"
    "  direction TEXT NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound','outbound')),"
    "  number TEXT,"
    "  offered_ms INTEGER NOT NULL,"
    "  answered_ms INTEGER,"
    "  ended_ms INTEGER,"
    "  acw_end_ms INTEGER,"
    "  hold_s INTEGER NOT NULL DEFAULT 0,"
    "  transferred INTEGER NOT NULL DEFAULT 0,"
    "  disposition TEXT,"
    "  customer TEXT,"
    "  reason TEXT,"
    "  csat INTEGER CHECK (csat IS NULL OR csat BETWEEN 1 AND 5),"
    "  nps INTEGER CHECK (nps IS NULL OR nps BETWEEN 0 AND 10)"
    ");"
    "CREATE INDEX contacts_offered ON contacts (offered_ms);"
    "CREATE INDEX contacts_agent_offered ON contacts (agent, offered_ms);"
    "CREATE INDEX contacts_customer_offered ON contacts (customer, offered_ms);"
    /* Work orders */
    "CREATE TABLE work_orders ("
    "  id TEXT PRIMARY KEY,"
    "  customer_id TEXT,"
    "  call_id TEXT,"
    "  agent TEXT,"
    "  channel TEXT NOT NULL CHECK (channel IN ('inbound_call','outbound_call','hotline_12345',"
    "                                            'online','social_media','letter')),"
    "  category TEXT,"
    "  subcategory TEXT,"
    "  priority TEXT NOT NULL DEFAULT 'normal',"
    "  complaint_level TEXT NOT NULL DEFAULT 'none'"
    "    CHECK (complaint_level IN ('none','general','serious','regulatory')),"
    "  summary TEXT NOT NULL DEFAULT '',"
    "  description TEXT NOT NULL DEFAULT '',"
    "  dispositions TEXT NOT NULL DEFAULT '[]',"
    "  department TEXT,"
    "  callback_ms INTEGER,"
    "  status TEXT NOT NULL DEFAULT 'received'"
    "    CHECK (status IN ('received','dispatched','in_progress','resolved','informed','closed')),"
    "  created_ms INTEGER NOT NULL,"
    "  updated_ms INTEGER NOT NULL,"
    "  first_response_due_ms INTEGER,"
    "  resolution_due_ms INTEGER"
    ");"
    "CREATE INDEX work_orders_agent_created ON work_orders (agent, created_ms);"
    "CREATE INDEX work_orders_customer ON work_orders (customer_id);"
    "CREATE INDEX work_orders_status ON work_orders (status);"
    /* Intent corrections made by agents: new training data */
    "CREATE TABLE intent_corrections ("
    "  id INTEGER PRIMARY KEY,"
    "  text TEXT NOT NULL,"
    "  intent TEXT NOT NULL,"
    "  agent TEXT,"
    "  created_ms INTEGER NOT NULL"
    ");"
    /* Small facts about this database (such as the day the demo was seeded) */
    "CREATE TABLE meta ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT"
    ");" },
  { 2,
    /* Knowledge base articles (sm-knowledge-base.c) and their full-text
     * index; the "seatmate" tokenizer is registered by register_extensions() */
    "CREATE TABLE articles ("
    "  seq INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  language TEXT NOT NULL,"
    "  intents TEXT NOT NULL,"
    "  tags TEXT NOT NULL DEFAULT '',"
    "  updated TEXT,"
    "  body TEXT NOT NULL,"
    "  wording TEXT,"
    "  source TEXT,"
    "  imported_ms INTEGER NOT NULL"
    ");"
    "CREATE TABLE article_intents ("
    "  article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,"
    "  intent TEXT NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  PRIMARY KEY (intent, article_id)"
    ");"
    "CREATE INDEX article_intents_article ON article_intents (article_id);"
    "CREATE VIRTUAL TABLE articles_fts USING fts5 ("
    "  title, tags, body, wording, lang, tokenize = 'seatmate'"
    ");"
    "CREATE VIRTUAL TABLE articles_vocab USING fts5vocab (articles_fts, row);" },
  { 3,
    /* High-risk rules checked at the screen pop (sm-risk.c). kind 'flag'
     * matches risk_flags.flag = param; 'complaints' counts complaint work
     * orders in the last window_days (threshold and window can be
     * overridden by settings); 'open_complaint' matches an open work order
     * with complaint_level = param. */
    "CREATE TABLE risk_rules ("
    "  id TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('flag','complaints','open_complaint')),"
    "  param TEXT,"
    "  threshold INTEGER,"
    "  window_days INTEGER,"
    "  severity TEXT NOT NULL DEFAULT 'high' CHECK (severity IN ('high','warning')),"
    "  label TEXT NOT NULL,"
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  position INTEGER NOT NULL DEFAULT 0"
    ");"
    "INSERT INTO risk_rules (id, kind, param, threshold, window_days, severity, label, position)"
    " VALUES"
    "  ('fraud_watch', 'flag', 'fraud_watch', NULL, NULL, 'high', 'Fraud watch', 1),"
    "  ('vulnerable', 'flag', 'vulnerable', NULL, NULL, 'high', 'Vulnerable customer', 2),"
    "  ('repeat_complainer', 'complaints', NULL, 3, 30, 'high', 'Repeat complainer', 3),"
    "  ('regulatory_complaint', 'open_complaint', 'regulatory', NULL, NULL, 'high',"
    "   'Open regulatory complaint', 4);" },
  { 4,
    /* Work orders (sm-work-order-store.c): clocks, linked articles and
     * reopenings on the row; the history of every work order; the agent's
     * draft linked to its call (survives a crash); the category map and
     * canned texts seeded from data/work-orders/; full-text search. */
    "ALTER TABLE work_orders ADD COLUMN articles TEXT NOT NULL DEFAULT '[]';"
    "ALTER TABLE work_orders ADD COLUMN first_response_ms INTEGER;"
    "ALTER TABLE work_orders ADD COLUMN resolved_ms INTEGER;"
    "ALTER TABLE work_orders ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE work_orders ADD COLUMN next_due_ms INTEGER;"
    "ALTER TABLE work_orders ADD COLUMN near_due_ms INTEGER;"
    "CREATE INDEX work_orders_next_due ON work_orders (next_due_ms) WHERE next_due_ms IS NOT NULL;"
    "CREATE INDEX work_orders_near_due ON work_orders (near_due_ms) WHERE near_due_ms IS NOT NULL;"
    "CREATE INDEX work_orders_level_created ON work_orders (complaint_level, created_ms);"
    "CREATE INDEX work_orders_created ON work_orders (created_ms);"
    "CREATE INDEX work_orders_call ON work_orders (call_id);"
    "CREATE TABLE work_order_events ("
    "  id INTEGER PRIMARY KEY,"
    "  work_order TEXT NOT NULL,"
    "  at_ms INTEGER NOT NULL,"
    "  agent TEXT,"
    "  event TEXT NOT NULL,"
    "  from_status TEXT,"
    "  to_status TEXT,"
    "  note TEXT"
    ");"
    "CREATE INDEX work_order_events_wo ON work_order_events (work_order, at_ms);"
    "CREATE TABLE work_order_drafts ("
    "  agent TEXT PRIMARY KEY,"
    "  call_id TEXT,"
    "  work_order TEXT NOT NULL,"
    "  touched INTEGER NOT NULL DEFAULT 0,"
    "  updated_ms INTEGER NOT NULL"
    ");"
    "CREATE TABLE wo_categories ("
    "  intent TEXT PRIMARY KEY,"
    "  category TEXT NOT NULL,"
    "  subcategory TEXT NOT NULL,"
    "  category_zh TEXT,"
    "  subcategory_zh TEXT,"
    "  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low','normal','high','urgent')),"
    "  department TEXT,"
    "  disposition TEXT,"
    "  resolution_hours INTEGER NOT NULL DEFAULT 120,"
    "  template TEXT,"
    "  template_zh TEXT"
    ");"
    "CREATE TABLE wo_canned_texts ("
    "  keyword TEXT PRIMARY KEY,"
    "  text TEXT NOT NULL,"
    "  text_zh TEXT"
    ");"
    "CREATE VIRTUAL TABLE work_orders_fts USING fts5 ("
    "  id, customer_id, category, subcategory, department, summary, description,"
    "  content = 'work_orders', tokenize = 'seatmate'"
    ");"
    "INSERT INTO work_orders_fts (work_orders_fts) VALUES ('rebuild');"
    "CREATE TRIGGER work_orders_fts_insert AFTER INSERT ON work_orders BEGIN"
    "  INSERT INTO work_orders_fts (rowid, id, customer_id, category, subcategory, department,"
    "                               summary, description)"
    "  VALUES (new.rowid, new.id, new.customer_id, new.category, new.subcategory, new.department,"
    "          new.summary, new.description);"
    " END;"
    "CREATE TRIGGER work_orders_fts_delete AFTER DELETE ON work_orders BEGIN"
    "  INSERT INTO work_orders_fts (work_orders_fts, rowid, id, customer_id, category, subcategory,"
    "                               department, summary, description)"
    "  VALUES ('delete', old.rowid, old.id, old.customer_id, old.category, old.subcategory,"
    "          old.department, old.summary, old.description);"
    " END;"
    "CREATE TRIGGER work_orders_fts_update AFTER UPDATE OF id, customer_id, category, subcategory,"
    "  department, summary, description ON work_orders BEGIN"
    "  INSERT INTO work_orders_fts (work_orders_fts, rowid, id, customer_id, category, subcategory,"
    "                               department, summary, description)"
    "  VALUES ('delete', old.rowid, old.id, old.customer_id, old.category, old.subcategory,"
    "          old.department, old.summary, old.description);"
    "  INSERT INTO work_orders_fts (rowid, id, customer_id, category, subcategory, department,"
    "                               summary, description)"
    "  VALUES (new.rowid, new.id, new.customer_id, new.category, new.subcategory, new.department,"
    "          new.summary, new.description);"
    " END;" },
  { 5,
    /* Cheap live figures for the wallboard (sm-metrics.c, sm-wallboard-window.c):
     * callers waiting now, each agent's open state, complaints by deadline */
    "CREATE INDEX contacts_waiting ON contacts (offered_ms)"
    "  WHERE answered_ms IS NULL AND ended_ms IS NULL;"
    "CREATE INDEX agent_states_open ON agent_states (agent) WHERE end_ms IS NULL;"
    "CREATE INDEX work_orders_complaint_due ON work_orders (resolution_due_ms)"
    "  WHERE complaint_level <> 'none';" },
  { 6,
    /* Knowledge base term statistics (sm-knowledge-base.c): the number of
     * articles that hold each indexed term, refreshed after every import.
     * Queries use it to drop very frequent terms and to complete the word
     * being typed without FTS5 prefix expansion. */
    "CREATE TABLE article_terms ("
    "  term TEXT PRIMARY KEY,"
    "  docs INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "INSERT INTO article_terms (term, docs) SELECT term, doc FROM articles_vocab;" },
  { 7,
    /* The work-order pane's complaint list, newest first (sm-work-order-store.c) */
    "CREATE INDEX work_orders_complaints_created ON work_orders (created_ms)"
    "  WHERE complaint_level <> 'none';" },
  /* Append new migrations here, with the next version number. */
};

/* Helpers */

static gboolean
set_error_from_rc (sqlite3     *db,
                   int          rc,
                   const char  *path,
                   GError     **error)
{
  int primary = rc & 0xff;
  const char *msg = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (primary)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_CORRUPT,
                   _("The database “%s” is damaged or is not a Seatmate database (%s). "
                     "It was left untouched: restore it from a backup or choose another file."),
                   path, msg);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_LOCKED,
                   _("The database “%s” is locked by another process. "
                     "Close the other program that uses it and try again."),
                   path);
      break;

    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_FULL:
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_IO,
                   _("The database “%s” cannot be read or written (%s)."),
                   path, msg);
      break;

    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_INVALID,
                   _("The data was refused by the database: %s"), msg);
      break;

    default:
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_SQL,
                   _("Database error in “%s”: %s"), path, msg);
      break;
    }

  return FALSE;
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *path,
          const char  *sql,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_error_from_rc (db, rc, path, error);

  return TRUE;
}

static gboolean
query_int (sqlite3     *db,
           const char  *path,
           const char  *sql,
           int         *value,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return set_error_from_rc (db, rc, path, error);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int (stmt, 0);
  else if (rc == SQLITE_DONE)
    *value = 0;
  else
    return set_error_from_rc (db, rc, path, error);

  return TRUE;
}

/* Creates the file with mode 0600 (and its folder with 0700) before SQLite
 * opens it, so the database is never readable by other users, not even for
 * a moment. SQLite gives the -wal and -shm files the database's mode.
 */
static gboolean
prepare_file (const char  *path,
              GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf st;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_IO,
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (errsv));
      return FALSE;
    }

  if (g_stat (path, &st) == 0)
    {
      if ((st.st_mode & 0077) != 0 && g_chmod (path, 0600) != 0)
        g_warning ("Cannot restrict the mode of %s: %s", path, g_strerror (errno));
      return TRUE;
    }

  fd = g_open (path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int errsv = errno;
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_IO,
                   _("Cannot create the database “%s”: %s"), path, g_strerror (errsv));
      return FALSE;
    }
  if (fd >= 0)
    close (fd);

  return TRUE;
}

static void
register_extensions (sqlite3 *db)
{
  /* Per-connection extensions (FTS5 tokenizers, functions) register here. */
  if (sm_fts_tokenizer_register (db) != SQLITE_OK)
    g_warning ("The knowledge base tokenizer could not be registered: %s", sqlite3_errmsg (db));
}

static gboolean
migrate (SmStore  *self,
         GError  **error)
{
  if (!exec_sql (self->db, self->path, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Read the version again inside the write lock: another process may
   * have migrated between our first look and now. */
  if (!query_int (self->db, self->path, "PRAGMA user_version", &self->schema_version, error))
    goto fail;

  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = NULL;

      if (migrations[i].version <= self->schema_version)
        continue;

      g_debug ("Migrating %s to schema version %d", self->path, migrations[i].version);

      if (!exec_sql (self->db, self->path, migrations[i].sql, error))
        goto fail;

      bump = g_strdup_printf ("PRAGMA user_version = %d", migrations[i].version);
      if (!exec_sql (self->db, self->path, bump, error))
        goto fail;

      self->schema_version = migrations[i].version;
    }

  return exec_sql (self->db, self->path, "COMMIT", error);

fail:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* GObject */

static void
sm_store_finalize (GObject *object)
{
  SmStore *self = (SmStore *)object;

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (sm_store_parent_class)->finalize (object);
}

static void
sm_store_class_init (SmStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sm_store_finalize;
}

static void
sm_store_init (SmStore *self)
{
}

/* Public API */

/**
 * sm_store_get_latest_version:
 *
 * Returns: the schema version this build writes
 */
int
sm_store_get_latest_version (void)
{
  return migrations[G_N_ELEMENTS (migrations) - 1].version;
}

/**
 * sm_store_open:
 * @path: a file path, or ":memory:"
 * @error: return location for a #GError
 *
 * Opens (creating it with mode 0600 if needed) and migrates the database.
 * A damaged file, a file locked by another process, or a file written by a
 * newer Seatmate is refused with %SM_STORE_ERROR and left as it was.
 *
 * Returns: (transfer full) (nullable): the store
 */
SmStore *
sm_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(SmStore) self = NULL;
  gboolean in_memory;
  int version = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  in_memory = g_str_equal (path, ":memory:");
  if (!in_memory && !prepare_file (path, error))
    return NULL;

  self = g_object_new (SM_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_rc (self->db, rc, path, error);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 1500);
  register_extensions (self->db);

  /* Reading the schema catches files that are not databases, and damaged
   * headers or schema pages, before anything is written. */
  if (!query_int (self->db, path, "SELECT count(*) FROM sqlite_master", &version, error) ||
      !query_int (self->db, path, "PRAGMA user_version", &version, error))
    return NULL;

  if (version > sm_store_get_latest_version ())
    {
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_TOO_NEW,
                   _("The database “%s” was written by a newer version of Seatmate "
                     "(schema %d; this version knows up to %d). It was left untouched: "
                     "update Seatmate to open it."),
                   path, version, sm_store_get_latest_version ());
      return NULL;
    }

  if (!in_memory)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        {
          set_error_from_rc (self->db, rc, path, error);
          return NULL;
        }
    }

  if (!exec_sql (self->db, path,
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA synchronous = NORMAL;",
                 error))
    return NULL;

  if (!migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * sm_store_get_db:
 *
 * Returns: (transfer none): the SQLite connection, for the main thread only
 */
sqlite3 *
sm_store_get_db (SmStore *self)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  return self->db;
}

const char *
sm_store_get_path (SmStore *self)
{
  g_return_val_if_fail (SM_IS_STORE (self), NULL);
  return self->path;
}

int
sm_store_get_schema_version (SmStore *self)
{
  g_return_val_if_fail (SM_IS_STORE (self), 0);
  return self->schema_version;
}

gboolean
sm_store_set_error (SmStore  *self,
                    int       rc,
                    GError  **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), FALSE);
  return set_error_from_rc (self->db, rc, self->path, error);
}

gboolean
sm_store_exec (SmStore     *self,
               const char  *sql,
               GError     **error)
{
  g_return_val_if_fail (SM_IS_STORE (self), FALSE);
  return exec_sql (self->db, self->path, sql, error);
}

/**
 * sm_store_prepare:
 *
 * Returns: (transfer full) (nullable): a statement to sqlite3_finalize()
 */
sqlite3_stmt *
sm_store_prepare (SmStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_rc (self->db, rc, self->path, error);
      return NULL;
    }

  return stmt;
}

gboolean
sm_store_begin (SmStore  *self,
                GError  **error)
{
  return sm_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
sm_store_commit (SmStore  *self,
                 GError  **error)
{
  return sm_store_exec (self, "COMMIT", error);
}

void
sm_store_rollback (SmStore *self)
{
  g_return_if_fail (SM_IS_STORE (self));

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/**
 * sm_store_count:
 * @table: a table name from the schema (never user input)
 *
 * Returns: the number of rows, or -1 on error
 */
/**
 * sm_store_get_meta:
 *
 * Returns: (transfer full) (nullable): the value stored under @key
 */
char *
sm_store_get_meta (SmStore    *self,
                   const char *key)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  stmt = sm_store_prepare (self, "SELECT value FROM meta WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

gboolean
sm_store_set_meta (SmStore     *self,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (self), FALSE);

  stmt = sm_store_prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return sm_store_set_error (self, rc, error);

  return TRUE;
}

gint64
sm_store_count (SmStore    *self,
                const char *table)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (SM_IS_STORE (self), -1);

  sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", table);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return -1;

  return sqlite3_column_int64 (stmt, 0);
}

/* Agent states */

static const struct {
  const char *id;
  const char *label;
} agent_states[] = {
  [SM_AGENT_STATE_AVAILABLE]  = { "available",  N_("Available") },
  [SM_AGENT_STATE_ON_CONTACT] = { "on_contact", N_("On a call") },
  [SM_AGENT_STATE_ACW]        = { "acw",        N_("After-call work") },
  [SM_AGENT_STATE_BREAK]      = { "break",      N_("Break") },
  [SM_AGENT_STATE_LUNCH]      = { "lunch",      N_("Lunch") },
  [SM_AGENT_STATE_MEETING]    = { "meeting",    N_("Meeting") },
  [SM_AGENT_STATE_TRAINING]   = { "training",   N_("Training") },
  [SM_AGENT_STATE_OFFLINE]    = { "offline",    N_("Offline") },
};

const char *
sm_agent_state_to_string (SmAgentState state)
{
  g_return_val_if_fail (state < SM_AGENT_STATE_N_STATES, NULL);
  return agent_states[state].id;
}

const char *
sm_agent_state_get_label (SmAgentState state)
{
  g_return_val_if_fail (state < SM_AGENT_STATE_N_STATES, NULL);
  return _(agent_states[state].label);
}

gboolean
sm_agent_state_from_string (const char   *str,
                            SmAgentState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (agent_states); i++)
    {
      if (g_strcmp0 (str, agent_states[i].id) == 0)
        {
          *state = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * sm_store_record_agent_state:
 * @agent: the agent identifier
 * @state: the new state
 * @at_ms: when the change happened
 *
 * Closes the agent's open interval at @at_ms and opens a new one, in one
 * transaction. Recording the state the agent is already in does nothing.
 */
gboolean
sm_store_record_agent_state (SmStore       *self,
                             const char    *agent,
                             SmAgentState   state,
                             gint64         at_ms,
                             GError       **error)
{
  g_autoptr(sqlite3_stmt) close_stmt = NULL;
  g_autoptr(sqlite3_stmt) open_stmt = NULL;
  SmAgentState current;
  gint64 since;

  g_return_val_if_fail (SM_IS_STORE (self), FALSE);
  g_return_val_if_fail (agent != NULL, FALSE);
  g_return_val_if_fail (state < SM_AGENT_STATE_N_STATES, FALSE);

  if (sm_store_get_agent_state (self, agent, &current, &since) && current == state)
    return TRUE;

  if (!sm_store_begin (self, error))
    return FALSE;

  if (!(close_stmt = sm_store_prepare (self,
                                       "UPDATE agent_states SET end_ms = max(start_ms, ?2) "
                                       "WHERE agent = ?1 AND end_ms IS NULL",
                                       error)))
    goto fail;
  sqlite3_bind_text (close_stmt, 1, agent, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (close_stmt, 2, at_ms);
  if (sqlite3_step (close_stmt) != SQLITE_DONE)
    {
      sm_store_set_error (self, sqlite3_errcode (self->db), error);
      goto fail;
    }

  if (!(open_stmt = sm_store_prepare (self,
                                      "INSERT INTO agent_states (agent, state, start_ms) "
                                      "VALUES (?1, ?2, ?3)",
                                      error)))
    goto fail;
  sqlite3_bind_text (open_stmt, 1, agent, -1, SQLITE_STATIC);
  sqlite3_bind_text (open_stmt, 2, sm_agent_state_to_string (state), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (open_stmt, 3, at_ms);
  if (sqlite3_step (open_stmt) != SQLITE_DONE)
    {
      sm_store_set_error (self, sqlite3_errcode (self->db), error);
      goto fail;
    }

  return sm_store_commit (self, error);

fail:
  sm_store_rollback (self);
  return FALSE;
}

/**
 * sm_store_get_agent_state:
 *
 * Returns: %TRUE if the agent has an open state interval
 */
gboolean
sm_store_get_agent_state (SmStore      *self,
                          const char   *agent,
                          SmAgentState *state,
                          gint64       *since_ms)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SM_IS_STORE (self), FALSE);

  stmt = sm_store_prepare (self,
                           "SELECT state, start_ms FROM agent_states "
                           "WHERE agent = ?1 AND end_ms IS NULL "
                           "ORDER BY start_ms DESC LIMIT 1",
                           NULL);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;

  if (!sm_agent_state_from_string ((const char *)sqlite3_column_text (stmt, 0), state))
    return FALSE;
  if (since_ms != NULL)
    *since_ms = sqlite3_column_int64 (stmt, 1);

  return TRUE;
}

/**
 * sm_store_get_agent_name:
 *
 * Returns: (transfer full) (nullable): the agent's name, if known
 */
char *
sm_store_get_agent_name (SmStore    *self,
                         const char *agent)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SM_IS_STORE (self), NULL);

  stmt = sm_store_prepare (self, "SELECT name FROM agents WHERE id = ?1", NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

/* Time */

gint64
sm_now_ms (void)
{
  const char *fake = g_getenv ("SEATMATE_FAKE_NOW");
  gint64 ms;

  /* Tests and the demo may pin the clock to an RFC 3339 time. */
  if (fake != NULL && sm_time_parse_ms (fake, &ms))
    return ms;

  return g_get_real_time () / 1000;
}

/**
 * sm_time_format_ms:
 *
 * Returns: (transfer full): RFC 3339 UTC, with milliseconds only when needed
 */
char *
sm_time_format_ms (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *base = NULL;

  if (dt == NULL)
    return g_strdup ("");

  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  if (ms % 1000 != 0)
    return g_strdup_printf ("%s.%03dZ", base, (int)(((ms % 1000) + 1000) % 1000));

  return g_strdup_printf ("%sZ", base);
}

/**
 * sm_time_parse_ms:
 * @rfc3339: a time such as "2026-11-25T09:00:00Z" or with an offset
 *
 * Returns: %TRUE and the time in milliseconds if @rfc3339 is valid
 */
gboolean
sm_time_parse_ms (const char *rfc3339,
                  gint64     *ms)
{
  g_autoptr(GDateTime) dt = NULL;

  if (rfc3339 == NULL || strlen (rfc3339) < 19 || rfc3339[10] != 'T')
    return FALSE;

  dt = g_date_time_new_from_iso8601 (rfc3339, NULL);
  if (dt == NULL)
    return FALSE;

  *ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}
