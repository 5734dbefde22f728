/* Reading a recording into a profile: records once, aggregation by stack,
 * then one mapping lookup and one symbolization per unique address. */
#include "config.h"

#include "profile.h"
#include "profile-priv.h"

#include <errno.h>
#include <stdio.h>

int profile_load(const char *path, const struct profile_options *o, struct profile **out,
		 char *err, size_t errlen)
{
	(void)o;
	*out = NULL;
	snprintf(err, errlen, "cannot read '%s': not implemented yet", path);
	return -ENOSYS;
}
