/*
 * outbox: SMS and e-mail to send.  A message is queued in the outbox
 * table inside the transaction that caused it (so a rolled-back change
 * sends nothing), and delivered after the commit: as one file per message
 * under PARTA_OUTBOX_DIR (first line the recipient, then the text) in the
 * local stack, or through PARTA_SMS_COMMAND / PARTA_MAIL_COMMAND.
 */
#ifndef PARTA_OUTBOX_H
#define PARTA_OUTBOX_H

#define OUTBOX_SMS	"sms"
#define OUTBOX_EMAIL	"email"

/* Queue a message in the current transaction: 0, or -1. */
int	outbox_queue(const char *kind, const char *to, const char *text);
/* Deliver what is queued and committed; failures are logged. */
void	outbox_flush(void);

#endif
