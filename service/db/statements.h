/*
 * Every SQL statement the daemon runs, prepared on each connection when it
 * opens.  Parameters are text; bytea parameters are in hex form ("\x...").
 */
#ifndef KD_DB_STATEMENTS_H
#define KD_DB_STATEMENTS_H

typedef enum kd_stmt {
	KD_STMT_SCHEMA_VERSION,
	KD_STMT_LOAD_KECAMATAN,
	KD_STMT_LOAD_DESA,
	KD_STMT_LOAD_SKILLS,
	KD_STMT_LOAD_SYNONYMS,
	KD_STMT_LOAD_REGENCIES,
	KD_STMT_TOKEN_LOOKUP,
	KD_STMT_SEEKER_INSERT,
	KD_STMT_SEEKER_GET,
	KD_STMT_SEEKER_ERASE,
	KD_STMT_EMPLOYER_INSERT,
	KD_STMT_VACANCY_INSERT,
	KD_STMT_VACANCY_UPDATE,
	KD_STMT_VACANCY_LIST,
	KD_STMT_IDEMPOTENCY_GET,
	KD_STMT_MATCH_RUN_SWEEP,
	KD_STMT_MATCH_RUN_CREATE,
	KD_STMT_RECOMMEND_VACANCIES,
	KD_STMT_RECOMMEND_VACANCY,
	KD_STMT_RECOMMEND_SEEKER,
	KD_STMT_MATCH_RUN_GET,
	KD_STMT_IDEMPOTENCY_PURGE,
	KD_STMT_PLACEMENT_LIST,
	KD_STMT_PLACEMENT_LIST_EMPLOYER,
	KD_STMT_PLACEMENT_DECIDE,
	KD_STMT_PLACEMENT_EXPIRE,
	KD_STMT_STATUS_GET,
	KD_STMT_STATUS_DECLINE,
	KD_STMT_SMS_OFFERS,
	KD_STMT_SMS_TICK,
	KD_STMT_RESULT_RETENTION,
	KD_STMT_SEEKER_INSERT_BATCH,
	KD_STMT_COUNT
} kd_stmt;

typedef struct kd_stmt_def {
	const char *name;
	const char *sql;
	int nparams;
} kd_stmt_def;

/* The definition of one statement; static storage. */
const kd_stmt_def *kd_stmt_get(kd_stmt stmt);

/*
 * The batch form of stmt, or KD_STMT_COUNT when it has none.  A batch
 * statement has as many parameters as stmt, each a text array whose element
 * i is that parameter of execution i (NULL for NULL); it does for each
 * execution in order what stmt would do, and answers one row per execution,
 * in order, with the column stmt's one-row answer has as its second column:
 * (ord, <stmt's column>).  The pool sends jobs of stmt that
 * share a segment as one batch statement (db_conn.c).
 */
kd_stmt kd_stmt_batch_of(kd_stmt stmt);

#endif
