// The young child's journey (issue 18), run by journey.js in each mode
// once the school is set up: a seven-year-old opens her class's link on
// her own device and signs up with mum's e-mail and a login name (without
// JavaScript the form asks for them after the birth date); she can only
// wait.  Mum, on her own device, follows the message, signs up on the way,
// comes back and confirms «это моя дочь».  The child applies by the link,
// the homeroom teacher accepts her and sees who her mother is; mum sees
// the class, its parents' chat and its teachers; the child logs in by her
// login name on another device; mum sets her a new password, which ends
// her sessions.  No step needs two people in one browser.
'use strict';
const L = require('./lib.js');
const W = require('./words.js');

// w: the journey's helpers and school (person, step, lists, O,
// teacher page te, studentLink, the teacher's last name).
async function youngChild(browser, mode, w) {
	const t = `${mode.name}: young child: `;
	const n = Date.now() % 1000000;
	const mum = { last: 'Малышева', first: 'Ольга', email:
	    `malysheva${n}@school.test`, password: 'пароль-мамы-1' };
	const kid = { last: 'Малышева', first: 'Варя', login: `varya${n}`,
	    password: 'пароль-вари-1' };
	// Her login name is shown back to her and her mother on purpose.
	W.DATA.add(kid.login);

	// The child, on her own phone, opens her class's link and signs up.
	const kc = await w.person(browser, mode);
	await kc.goto(w.studentLink);
	await kc.click('a:has-text("Зарегистрироваться")');
	await kc.fill('#last_name', kid.last);
	await kc.fill('#first_name', kid.first);
	await kc.check('input[name=gender][value=f]');
	await kc.fill('#birth_date', '2019-04-01');
	if (!mode.js) {
		// The server answers with the young child's fields.
		await kc.fill('#password', kid.password);
		await kc.check('input[name=consent]');
		await kc.click('button.primary');
		L.ok(await kc.isVisible('text=Придумайте логин'),
		    t + 'without JavaScript the form asks for a login name');
	}
	L.ok(await kc.isVisible('#parent') && !await kc.isVisible('#phone'),
	    t + 'the form asks for a parent\'s contact, not a phone');
	await kc.fill('#parent', mum.email);
	await kc.fill('#login', kid.login);
	await kc.fill('#password', kid.password);
	await kc.check('input[name=consent]');
	await L.noSideways(kc, t + 'sign-up fits the screen');
	await w.step(kc, mode, 'young-register');
	await kc.click('button.primary');
	L.ok(new URL(kc.url()).pathname === '/me' &&
	    await kc.isVisible('text=Регистрацию должен подтвердить родитель'),
	    t + 'the child waits for her parent', kc.url());
	await w.step(kc, mode, 'young-waiting');
	await kc.goto(w.studentLink);
	L.ok(new URL(kc.url()).pathname === '/me',
	    t + 'nothing else opens meanwhile', kc.url());
	const msg = L.lastMessage(mum.email);
	if (!msg)
		throw new Error(`no message for ${mum.email}`);
	const code = L.outboxCode(mum.email);
	const link = msg.match(/https?:\/\/\S+\/chats\/family\/confirm/);
	L.ok(link !== null && msg.includes('ваша дочь'),
	    t + 'mum\'s message has the link and the code', msg);

	// Mum, on her own phone, follows it: signs up, comes back, confirms.
	const mc = await w.person(browser, mode);
	await mc.goto(link[0]);
	await w.step(mc, mode, 'young-parent-landing');
	await mc.click('main a:has-text("Зарегистрироваться")');
	await L.signup(mc, { ...mum, birth: '1990-08-15' });
	L.ok(new URL(mc.url()).pathname === '/chats/family/confirm',
	    t + 'mum is back on the confirmation', mc.url());
	L.ok(await mc.isVisible(`text=${kid.last} ${kid.first}`),
	    t + 'mum sees who asks');
	await mc.fill('input[name=code]', code);
	await L.noSideways(mc, t + 'confirmation fits the screen');
	await w.step(mc, mode, 'young-parent-confirm');
	await mc.click('button:has-text("Да, это моя дочь")');
	L.ok(new URL(mc.url()).pathname === '/chats/family' &&
	    await mc.isVisible('text=Ваша дочь'), t + 'mum confirmed', mc.url());

	// The child applies by the link; the homeroom teacher accepts.
	await kc.goto(w.studentLink);
	await kc.click('button:has-text("Подать заявку")');
	L.ok(/\/me\/applications\/\d+$/.test(kc.url()),
	    t + 'the child applied', kc.url());
	const te = w.te;
	await te.goto(`${w.O}/applications`);
	await te.click(`tr:has-text("${kid.last}") button:has-text("Принять")`);
	await te.goto(`${w.O}/classes`);
	await te.click('a.class-item:has-text("5А")');
	L.ok(await te.isVisible(
	    `section:has(#guardians) >> text=${mum.last} ${mum.first}`),
	    t + 'the homeroom teacher sees the child\'s mother');
	await L.noSideways(te, t + 'class page fits the screen');
	await w.step(te, mode, 'young-class-guardians');
	await te.goto(w.O);
	L.ok(await te.isVisible('text=Новые родители в вашем классе'),
	    t + 'the homeroom teacher is told on her home page');

	// Mum sees the class and school, its parents' chat, its teachers.
	await mc.goto(L.BASE + '/chats/family');
	L.ok(await mc.isVisible('text=5А · Школа № 40') &&
	    await mc.isVisible('a:has-text("Чат родителей класса")') &&
	    await mc.isVisible(`li:has-text("${w.teacherLast}")`),
	    t + 'mum sees the class, its parents\' chat and teachers');
	await L.noSideways(mc, t + 'family page fits the screen');
	await w.step(mc, mode, 'young-family');

	// The child logs in by her login name on another device.
	const kd = await w.person(browser, mode);
	await L.login(kd, { login: kid.login.toUpperCase(),
	    password: kid.password });
	L.ok(!kd.url().includes('/login'), t + 'the child logs in by login',
	    kd.url());

	// Mum sets a new password: the child's sessions end.
	await mc.fill('input[name=password]', 'новый-пароль-вари');
	await mc.click('button:has-text("Сменить пароль ребёнка")');
	L.ok(await mc.isVisible('text=Пароль изменён'),
	    t + 'mum set a new password');
	await kd.goto(L.BASE + '/me');
	L.ok(kd.url().includes('/login'), t + 'the child\'s session ended',
	    kd.url());
	await kd.fill('#login', kid.login);
	await kd.fill('#password', 'новый-пароль-вари');
	await kd.click('button.primary');
	L.ok(!kd.url().includes('/login'), t + 'the new password logs in',
	    kd.url());
	for (const p of [kc, mc, kd])
		await p.context().close();
}

module.exports = { youngChild };
