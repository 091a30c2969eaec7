#include "scodesk/demo.h"
sk_status sk_demo_fill(sk_db *db, sk_err *err) { (void)db; return sk_fail(err, SK_DB, NULL, "x"); }
