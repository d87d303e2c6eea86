# make install: parta-upload@.service from parta@.service.in, so that the
# upload workers of a program run exactly as its page workers do (the
# same user, settings and sandbox); only the header comment, the
# description, the socket and the number of workers differ.
1i\
# The upload workers of one Parta program, started by their socket\
# (parta-upload@%i.socket, /run/parta/%i-upload.sock: nginx sends it\
# the requests with a multipart body), run as the dedicated user parta.\
# Made by make install from parta@.service.in with\
# systemd/parta-upload.sed: all else is as parta@.service's.\
#\
# Workers: PARTA_UPLOAD_WORKERS copies of the program.  More with a\
# drop-in, e.g. `systemctl edit parta-upload@chat.service`:\
#   [Service]\
#   Environment=PARTA_UPLOAD_WORKERS=8
1,/^\[Unit\]$/{
	/^\[Unit\]$/!d
}
s/^Description=Parta %i (FastCGI program)$/Description=Parta %i uploads (FastCGI program)/
s/parta@%i\.socket/parta-upload@%i.socket/g
s/^Environment=PARTA_WORKERS=2$/Environment=PARTA_UPLOAD_WORKERS=6/
s/-f \${PARTA_WORKERS}/-f ${PARTA_UPLOAD_WORKERS}/
