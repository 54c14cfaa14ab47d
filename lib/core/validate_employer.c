/*
 * POST /v1/employers: a company that posts vacancies.
 */
#include "core/validate_internal.h"

#include <string.h>

#include "kd.h"

#define EMPLOYER_NAME_MAX 200
#define CONTACT_NAME_MAX 100
#define KBLI_DIGITS 5
/* RFC 5321 limits on a whole address and its local part. */
#define EMAIL_MAX 254
#define EMAIL_LOCAL_MAX 64

static const char *const employer_keys[] = { "name", "kbli_code", "desa_code", "contacts" };
static const char *const contact_keys[] = { "name", "phone", "email" };

/*
 * A shape check, not RFC 5322: printable ASCII without spaces, one '@' after
 * a local part of at most 64 bytes, and a domain of dot-separated non-empty
 * labels with at least one dot.  Deliverability is the mail system's call.
 */
static bool email_shaped(const char *email)
{
	size_t len = strlen(email);
	const char *at = strchr(email, '@');
	if (len > EMAIL_MAX || !at || at == email || (size_t)(at - email) > EMAIL_LOCAL_MAX ||
	    strchr(at + 1, '@'))
		return false;
	for (const unsigned char *p = (const unsigned char *)email; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return false;
	const char *domain = at + 1;
	size_t dlen = strlen(domain);
	return dlen > 0 && strchr(domain, '.') && domain[0] != '.' && domain[dlen - 1] != '.' &&
	       !strstr(domain, "..");
}

static int check_contacts(const kd_vscope *s, kd_employer_input *in)
{
	kd_vscope contacts;
	int rc = kd_v_object(s, "contacts", false, contact_keys, KD_ARRAY_LEN(contact_keys),
			     &contacts);
	if (rc <= 0)
		return rc;
	rc = kd_v_text(&contacts, "name", false, CONTACT_NAME_MAX, &in->contact_name);
	if (rc < 0)
		return rc;
	rc = kd_v_phone(&contacts, "phone", false, in->contact_phone);
	if (rc < 0)
		return rc;
	rc = kd_v_string(&contacts, "email", false, &in->contact_email);
	if (rc < 0)
		return rc;
	if (rc > 0 && !email_shaped(in->contact_email))
		return kd_v_invalid(&contacts, "email", "must be an email address");
	return kd_ok();
}

static int check_employer(const kd_vscope *s, const kd_validate_ctx *ctx, kd_employer_input *in)
{
	int rc = kd_v_text(s, "name", true, EMPLOYER_NAME_MAX, &in->name);
	if (rc < 0)
		return rc;
	rc = kd_v_digits(s, "kbli_code", false, KBLI_DIGITS, &in->kbli_code);
	if (rc < 0)
		return rc;
	rc = kd_v_desa(s, ctx, &in->desa);
	if (rc < 0)
		return rc;
	return check_contacts(s, in);
}

int kd_validate_employer(const char *body, size_t len, const kd_validate_ctx *ctx,
			 kd_employer_input *out, kd_field_error *err)
{
	kd_vscope scope;
	memset(out, 0, sizeof(*out));
	int rc = kd_v_body(body, len, employer_keys, KD_ARRAY_LEN(employer_keys), &out->doc,
			   &scope, err);
	if (rc < 0)
		return rc;
	rc = check_employer(&scope, ctx, out);
	if (rc < 0) {
		kd_employer_input_release(out);
		return rc;
	}
	return kd_ok();
}

void kd_employer_input_release(kd_employer_input *in)
{
	json_decref(in->doc);
	in->doc = NULL;
}
