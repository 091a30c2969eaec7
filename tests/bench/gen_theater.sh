#!/bin/sh
# gen_theater.sh [DB] [SCODESK]: a theater-scale database, made through
# scodesk's own import (every row goes through validation, the rules and
# the audit log, as a hand-typed change would). A measurement aid, not a
# test: it prints how long each import took.
#
#   billets          4,400   (50 offices of 88 lines)
#   personnel        5,000   (incumbents, inbound replacements, departed)
#   programs        20,000   (dates in case order; status from the dates)
#   students        50,000   (pipeline status from the dates; vetting rule)
#   contacts       100,000   (Latin, Cyrillic, Arabic, CJK and Thai names)
#   engagements  1,000,000   (1-3 contacts each, a quarter tied to a program)
#   eum_items      100,000   (on the cases under way or done; most under EEUM)
#   eum_checks               (an initial and an annual inventory a case)
#   eum_check_items          (a line per item each inventory saw or missed)
#
# Dates span the ten years up to today ($SCODESK_TODAY when set). The
# random numbers are seeded, so one awk gives the same files every time.
# DB defaults to /tmp/theater.db and must not exist yet (the files refer to
# records by the ids a new database gives them: 1, 2, 3 ...). The CSV files
# are kept beside it in DB.csv/ with KEEP=1. Sizes can be scaled down for a
# trial with SCALE=N (every count divided by N); EUM_SCALE=N divides the
# register's alone (EUM_SCALE=1 with SCALE=10: the whole register of
# 100,000 items on a tenth of the rest).
set -eu
db=${1:-/tmp/theater.db}
bin=${2:-./build/scodesk}
scale=${SCALE:-1}
awk=${AWK:-awk}

if [ -e "$db" ]; then
	echo "gen_theater: $db exists; give a new file" >&2
	exit 1
fi
dir=$db.csv
mkdir -p "$dir"
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT

today=${SCODESK_TODAY:-$(date +%Y-%m-%d)}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# The shared part of every generator: random choices, dates, names.
lib='
function days(y, m, d,   era, yoe, doy, doe) {	# days since 1970-01-01 of a civil date
	y -= (m <= 2)
	era = int(y / 400)
	yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}
function ymd(z,   era, doe, yoe, y, doy, mp, d, m) {	# the inverse
	z += 719468
	era = int(z / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9
	return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d)
}
function fy(z,   s) {	# U.S. fiscal year of a day (it starts on 1 October)
	s = ymd(z)
	return substr(s, 1, 4) + (substr(s, 6, 2) >= 10)
}
function irand(lo, hi) { return lo + int(rand() * (hi - lo + 1)) }
# weights("name", "a:35 b:10 ..."): a weighted enumeration for pick().
function weights(name, spec,   n, parts, i, kv) {
	n = split(spec, parts, " ")
	TOT[name] = 0
	for (i = 1; i <= n; i++) {
		split(parts[i], kv, ":")
		TOT[name] += kv[2]
		CUM[name, i] = TOT[name]
		VAL[name, i] = kv[1]
	}
	CNT[name] = n
}
function pick(name,   r, i) {
	r = rand() * TOT[name]
	for (i = 1; i < CNT[name] && r >= CUM[name, i]; i++)
		;
	return VAL[name, i]
}
# list("name", "a|b|c"): a plain list for any().
function list(name, s,   i, a) { LN[name] = split(s, a, "|"); for (i = 1; i <= LN[name]; i++) LV[name, i] = a[i] }
function any(name) { return LV[name, irand(1, LN[name])] }
# A CSV field, quoted (quotes doubled); empty stays empty (none, not "").
function q(s) { if (s == "") return ""; gsub(/"/, "\"\"", s); return "\"" s "\"" }
# Case ids: ^[A-Z0-9]{2}-[A-Z]-[A-Z0-9]{3}$, unique for i < 46656 (the
# designator is i scrambled by a bijection of 0..36^3-1).
function caseid(i,   x, d, k) {
	x = (i * 7919) % 46656
	d = ""
	for (k = 0; k < 3; k++) {
		d = substr(B36, x % 36 + 1, 1) d
		x = int(x / 36)
	}
	return CC[i % NCC + 1] "-" substr("BBBBBBBBDDDDDDPPPPPQ", i % 20 + 1, 1) "-" d
}
# The billets: 50 offices of 88 lines; what each line is follows from its
# number, so that personnel can match service and grade.
function brole(b,   l) {
	l = (b - 1) % 88
	return l == 0 ? "sdo_datt" : l == 1 ? "chief" : l == 2 ? "deputy" : \
	       l < 20 ? "program_officer" : l < 30 ? "training_officer" : \
	       l < 35 ? "eum_officer" : l < 48 ? "admin" : l < 82 ? "les_assistant" : "other"
}
function bservice(b,   r) {
	r = brole(b)
	if (r == "les_assistant") return "les"
	if (r == "admin") return (b % 3) ? "civilian" : "army"
	if (r == "other") return (b % 2) ? "contractor" : "civilian"
	return SVC[b % 5 + 1]
}
function bgrade(b,   r, s) {
	r = brole(b); s = bservice(b)
	if (s == "les") return "FSN-" (7 + b % 5)
	if (s == "contractor") return "CTR"
	if (s == "civilian") return "GS-" (11 + b % 4)
	if (r == "sdo_datt") return (b % 4) ? "O-6" : "O-7"
	if (r == "chief") return "O-6"
	if (r == "deputy") return "O-5"
	if (r == "admin") return "E-" (5 + b % 3)
	return (b % 3) ? "O-" (3 + b % 2) : "E-" (7 + b % 3)
}
function bnumber(b) { return sprintf("%s-%03d-%02d", CC[int((b - 1) / 88) % NCC + 1], int((b - 1) / 88) + 1, (b - 1) % 88 + 1) }
BEGIN {
	srand(SEED)
	B36 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	NCC = split("BN KE TH PL JO SA EG UA GE PH ID VN KZ MA CO PE BR MN TW KR NG GH SN TN IQ", CC, " ")
	split("army air_force navy marine_corps army", SVC, " ")
	split(TODAY, t, "-")
	today = days(t[1], t[2], t[3])
	start = today - 3652	# ten years
}
'
made=$(now)
gen() {	# gen SEED PROGRAM > FILE
	$awk -v SEED="$1" -v TODAY="$today" -v SCALE="$scale" "$lib$2"
}

# ---- billets -----------------------------------------------------------------
gen 11 '
BEGIN {
	print "billet_number,title,role,authorized_grade,service,sc_code,required_cert_level"
	split("Senior Defense Official/Defense Attache|Chief, Office of Security Cooperation|Deputy Chief, Office of Security Cooperation|Security Cooperation Program Officer|Training Program Manager|End-Use Monitoring Officer|Administrative Officer|Security Cooperation Assistant (LES)|Security Cooperation Specialist", title, "|")
	split("sdo_datt chief deputy program_officer training_officer eum_officer admin les_assistant other", roles, " ")
	split("expert expert practitioner practitioner foundational practitioner none foundational none", cert, " ")
	n = int(4400 / SCALE)
	for (b = 1; b <= n; b++) {
		r = brole(b)
		for (k = 1; roles[k] != r; k++)
			;
		# the last digit of a code is the level sc_level_cert maps to the
		# certification of the billet; no certification, no code
		code = ""
		if (cert[k] != "none")
			code = sprintf("SC%d%s%d", 1 + b % 5, substr("ABCD", b % 4 + 1, 1),
				cert[k] == "foundational" ? 1 : cert[k] == "practitioner" ? 2 : cert[k] == "expert" ? 3 : 4)
		printf "%s,%s,%s,%s,%s,%s,%s\n", bnumber(b), q(title[k]), r, bgrade(b), bservice(b),
			code, cert[k]
	}
}' >"$dir/billets.csv"

# ---- personnel ---------------------------------------------------------------
# 1..4000 hold billet bmap(i) (the other 400 billets are vacant), 4001..4600
# are inbound to a billet, 4601..5000 have departed.
gen 12 '
function bmap(i) { return (i * 1237) % NB + 1 }
BEGIN {
	print "last_name,first_name,service,grade,billet_number,status,arrival_date,deros_date,clearance,cert_level,email,phone,notes"
	list("last", "Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Rodriguez|Martinez|Hernandez|Lopez|Gonzalez|Wilson|Anderson|Thomas|Taylor|Moore|Jackson|Martin|Lee|Perez|Thompson|White|Harris|Sanchez|Clark|Ramirez|Lewis|Robinson|Walker|Young|Allen|King|Wright|Scott|Torres|Nguyen|Hill|Flores|Green|Adams|Nelson|Baker|Hall|Rivera|Campbell|Mitchell|Carter|Roberts|O'\''Brien|Kowalski|Okafor|Haddad")
	list("first", "James|Mary|Robert|Patricia|John|Jennifer|Michael|Linda|David|Elizabeth|William|Barbara|Richard|Susan|Joseph|Jessica|Thomas|Sarah|Christopher|Karen|Daniel|Lisa|Matthew|Nancy|Anthony|Betty|Mark|Sandra|Donald|Ashley|Steven|Kimberly|Andrew|Emily|Joshua|Michelle|Kevin|Amanda|Brian|Melissa")
	list("les_last", "Ivanova|Al-Hashimi|Srisuk|Wang|Santos|Mwangi|Kovalenko|Haddad|Nowak|Tran|Boonmee|Mansour")
	list("les_first", "Olga|Ahmed|Somchai|Wei|Ana|Grace|Oleksandr|Layla|Piotr|Thi Lan|Kanya|Omar")
	weights("clr_us", "secret:55 top_secret:30 ts_sci:12 confidential:3")
	weights("cert_us", "foundational:35 practitioner:40 expert:15 executive:3 none:7")
	NB = int(4400 / SCALE)
	n = int(5000 / SCALE); inc = int(4000 / SCALE); inb = int(4600 / SCALE)
	for (i = 1; i <= n; i++) {
		if (i <= inc) b = bmap(i)
		else b = bmap(irand(1, NB))
		s = bservice(b)
		les = s == "les"
		tour = les ? irand(3, 20) * 365 : (s == "contractor" || s == "civilian") ? irand(2, 4) * 365 : irand(2, 3) * 365
		if (i <= inc) {
			arr = today - irand(0, tour - 1); st = pick_present()
		} else if (i <= inb) {
			arr = today + irand(1, 240); st = "inbound"
		} else {
			arr = today - tour - irand(1, 2500); st = "departed"
		}
		dep = arr + tour
		ln = les ? any("les_last") : any("last")
		fn = les ? any("les_first") : any("first")
		grade = bgrade(b)
		if (grade ~ /^O-/ && rand() < 0.15) grade = "O-" (substr(grade, 3) - 1)
		if (st == "departed" && rand() < 0.3) billet = ""; else billet = bnumber(b)
		mail = tolower(fn) "." tolower(ln) i "@example.mil"
		gsub(/[^a-z0-9.@]/, "", mail)
		notes = rand() < 0.1 ? q("Tour extended once; see orders of " ymd(arr + 200) ".") : ""
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", q(ln), q(fn), s, grade, billet, st,
			ymd(arr), les ? "" : ymd(dep), les ? (rand() < 0.3 ? "secret" : "none") : pick("clr_us"),
			pick("cert_us"), mail, sprintf("+1 202 555 %04d", i % 10000), notes
	}
}
function pick_present(   r) { r = rand(); return r < 0.88 ? "present" : r < 0.94 ? "tdy" : "leave" }' >"$dir/personnel.csv"

# ---- programs ----------------------------------------------------------------
# Milestone dates follow each other in case order; the status is the last
# milestone reached by today (5% cancelled on the way).
gen 13 '
BEGIN {
	print "authority,case_id,title,implementing_agency,status,fiscal_year,value_usd,lor_date,aod_date,offer_date,oed_date,accepted_date,implemented_date,ssc_date,closed_date,poc_person_id,partner_org,status_date,notes"
	weights("auth", "fms:45 fmf:10 imet:8 s333:15 s345:3 eda:5 incle:5 cn:5 other:4")
	list("item", "F-16 sustainment|UH-60M helicopters|night vision devices|coastal surveillance radar|patrol boats|C-130H spares|body armor|EOD equipment|border surveillance towers|cyber defense training|NCO academy support|maritime domain awareness|Javelin missiles|HMMWV refurbishment|tactical radios|King Air ISR aircraft|medical evacuation kits|ammunition storage|Stinger training|field hospital|counter-IED training|armored ambulances")
	list("org", "Ministry of Defense|Army|Air Force|Navy|Border Guard|National Police|Coast Guard|Special Operations Command|Joint Staff|Defense Procurement Agency")
	split("lor_received development offered accepted implemented supply_complete closed", stname, " ")
	n = int(20000 / SCALE); np = int(5000 / SCALE)
	for (i = 1; i <= n; i++) {
		a = pick("auth")
		cid = (a ~ /^(fms|fmf|s333|s345|eda)$/) ? caseid(i) : ""
		lor = start - 1800 + int(5400 * sqrt(rand()))	# more cases of late
		m[1] = lor; m[2] = lor + irand(7, 60)
		aod = lor + irand(60, 150)
		m[3] = lor + irand(60, 240); oed = m[3] + irand(60, 90)
		m[4] = m[3] + irand(10, 80); m[5] = m[4] + irand(10, 90)
		m[6] = m[5] + irand(300, 1800); m[7] = m[6] + irand(180, 900)
		for (k = 1; k < 7 && m[k + 1] <= today; k++)
			;
		st = stname[k]; sd = m[k]
		if (k < 6 && rand() < 0.05) { st = "cancelled"; sd = m[k] + irand(1, 60); if (sd > today) sd = today }
		# a program that is no case has its own lifecycle (schema 6)
		if (a !~ /^(fms|fmf|s333|eda)$/ && st != "cancelled")
			st = k <= 2 ? "planned" : k <= 5 ? "active" : "complete"
		v = int(exp(log(10) * (4 + 4.5 * rand())))
		ia = cid ? substr(cid, 4, 1) : (a == "imet" ? "" : substr("BDP", irand(1, 3), 1))
		printf "%s,%s,%s,%s,%s,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s\n", a, cid,
			q(any("item") " (" (cid ? cid : toupper(a) " FY" fy(lor)) ")"), ia, st, fy(lor), v,
			ymd(lor), ymd(aod), (k >= 3 ? ymd(m[3]) : ""), (k >= 3 ? ymd(oed) : ""),
			(k >= 4 ? ymd(m[4]) : ""), (k >= 5 ? ymd(m[5]) : ""), (k >= 6 ? ymd(m[6]) : ""),
			(k >= 7 ? ymd(m[7]) : ""), irand(1, np), q(any("org")), ymd(sd),
			rand() < 0.2 ? q("Amendment " irand(1, 4) " pending; \"priority\" per the SDO.") : ""
	}
}' >"$dir/programs.csv"

# ---- students ----------------------------------------------------------------
gen 14 '
BEGIN {
	print "last_name,first_name,rank,us_equivalent_grade,service,unit,program,case_id,fiscal_year,course_id,course_title,school,report_date,start_date,end_date,ecl_score,ecl_required,medical_cleared,leahy_status,leahy_ref,leahy_date,ito_number,ito_date,status,notes"
	# passport names (Latin letters) and ranks in the host nation own
	# writing, with the U.S. grade they match, by group of countries
	list("laL", "Garcia|Silva|Santos|Kowalski|Nowak|Popescu|Santoso|Reyes|Mwangi|Okafor|Mensah|Diallo|Nguyen|Tran")
	list("laF", "Carlos|Jose|Ana|Piotr|Andrei|Budi|Juan|Chinedu|Kwame|Amadou|Van Minh|Maria")
	list("laR", "Capitán:O-3|Mayor:O-4|Teniente Coronel:O-5|Coronel:O-6|Sargento Primero:E-7|Kapitan:O-3|Major:O-4|Sierżant:E-5")
	list("cyL", "Ivanov|Petrov|Shevchenko|Kovalenko|Jovanovic|Dimitrov|Akhmetov|Batbayar")
	list("cyF", "Sergei|Dmitri|Oleksandr|Marko|Georgi|Aidos|Olga|Ganbold")
	list("cyR", "Капитан:O-3|Майор:O-4|Подполковник:O-5|Полковник:O-6|Лейтенант:O-2|Старшина:E-7")
	list("arL", "Al-Hashimi|Haddad|Khalil|Mansour|Al-Otaibi|Ibrahim|Youssef|Trabelsi")
	list("arF", "Ahmed|Mohammed|Omar|Khalid|Fatima|Tariq|Yasser|Sami")
	list("arR", "نقيب:O-3|رائد:O-4|مقدم:O-5|عقيد:O-6|ملازم أول:O-2|رقيب أول:E-6")
	list("zhL", "Wang|Li|Zhang|Chen|Tanaka|Suzuki|Kim|Park|Lin|Huang")
	list("zhF", "Wei|Jun|Chien-Hung|Hiroshi|Kenji|Min-jun|Ji-hoon|Fang")
	list("zhR", "上尉:O-3|少校:O-4|中校:O-5|上校:O-6|1等陸尉:O-3|3等陸佐:O-4|대위:O-3|소령:O-4|중령:O-5")
	list("thL", "Srisuk|Wongsawat|Boonmee|Saetang|Kittikul|Phromma")
	list("thF", "Somchai|Anan|Kanya|Chaiwat|Niran|Wichai")
	list("thR", "ร้อยเอก:O-3|พันตรี:O-4|พันโท:O-5|พันเอก:O-6|จ่าสิบเอก:E-8|ร้อยโท:O-2")
	weights("group", "la:40 cy:15 ar:25 zh:10 th:10")
	list("svc", "Army|Air Force|Navy|Marines|Border Guard|National Guard|Special Forces|Coast Guard")
	list("unit", "1st Infantry Brigade|3rd Mechanized Division|Air Base Wing 2|Naval Flotilla East|Special Operations Regiment|Border Battalion 7|Military Academy|Logistics Command|Signal Regiment|Engineer Brigade|Helicopter Squadron 12")
	list("course", "P179032:Infantry Captains Career Course:Fort Moore, GA:170|P172001:Command and General Staff College:Fort Leavenworth, KS:300|D171022:Squadron Officer School:Maxwell AFB, AL:40|P309006:English Language Instructor Course:Lackland AFB, TX:120|P179625:Ranger Course:Fort Moore, GA:62|N171008:Naval Staff College:Newport, RI:300|D309041:Aircraft Maintenance Officer Course:Sheppard AFB, TX:90|P152008:Defense Resource Management Course:Monterey, CA:28|B309311:Cyber Operations Course:Fort Eisenhower, GA:75|P179050:Basic Officer Leader Course:Fort Moore, GA:120|MCS1012:Expeditionary Warfare School:Quantico, VA:280|E179700:Civil-Military Relations Seminar:Monterey, CA:14")
	weights("prog", "imet:50 fms:22 s333:12 fmf:8 cn:3 incle:3 other:2")
	n = int(50000 / SCALE)
	for (i = 1; i <= n; i++) {
		split(any("course"), c, ":")
		g = pick("group")
		split(any(g "R"), rk, ":")
		rep = start + irand(0, 3652 + 300)	# ten years, and nominations ahead
		st0 = rep + irand(0, 10); en = st0 + c[4] + irand(-5, 5)
		if (en < st0) en = st0
		# where the student stands follows from the dates
		if (en < today) {
			r = rand()
			status = r < 0.87 ? "completed" : r < 0.92 ? "cancelled" : r < 0.96 ? "failed" : "absent"
		} else if (rep <= today) {
			status = rand() < 0.97 ? "in_training" : "cancelled"
		} else if (rep - today < 45) {
			r = rand(); status = r < 0.8 ? "ito_issued" : r < 0.95 ? "vetted" : "cancelled"
		} else if (rep - today < 150) {
			r = rand(); status = r < 0.55 ? "vetted" : r < 0.9 ? "screened" : "nominated"
		} else {
			status = rand() < 0.6 ? "nominated" : "screened"
		}
		if (status ~ /^(ito_issued|in_training|completed|failed|absent|vetted)$/) leahy = "approved"
		else if (status == "screened") leahy = rand() < 0.7 ? "pending" : "not_submitted"
		else if (status == "nominated") leahy = rand() < 0.9 ? "not_submitted" : "pending"
		else { r = rand(); leahy = r < 0.3 ? "denied" : r < 0.45 ? "expired" : r < 0.7 ? "pending" : r < 0.9 ? "approved" : "not_submitted" }
		ld = (leahy == "approved" || leahy == "denied" || leahy == "expired") ? rep - irand(30, 120) : ""
		ito = status ~ /^(ito_issued|in_training|completed|failed|absent)$/
		p = pick("prog")
		cid = (p == "fms" || p == "fmf" || p == "s333") ? caseid(irand(1, 20000)) : ""
		ecl = irand(45, 98); need = (c[2] ~ /English/) ? 80 : 70 + 5 * irand(0, 2)
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s,%s,%s,%s,%d,%d,%d,%s,%s,%s,%s,%s,%s,%s\n",
			q(any(g "L")), q(any(g "F")), q(rk[1]), rk[2], any("svc"), q(any("unit")), p, cid,
			fy(rep), c[1], q(c[2]), q(c[3]), ymd(rep), ymd(st0), ymd(en), ecl, need,
			((ito || status == "vetted") ? 1 : rand() < 0.3), leahy,
			ld != "" ? sprintf("LV-%d-%05d", fy(ld), i) : "", ld != "" ? ymd(ld) : "",
			ito ? sprintf("ITO-%d-%05d", fy(rep), i) : "", ito ? ymd(rep - irand(7, 30)) : "",
			status, rand() < 0.05 ? q("Dependents accompany; housing request sent.") : ""
	}
}' >"$dir/students.csv"

# ---- contacts ----------------------------------------------------------------
# Each group: Latin transliteration|own script, for family and given names;
# the native name is written in the group own order.
gen 15 '
function person(g,   a, b, fam, giv) {
	split(LV[g "L", irand(1, LN[g "L"])], a, "~")
	split(LV[g "F", irand(1, LN[g "F"])], b, "~")
	LAST = a[1]; FIRST = b[1]
	if (g == "ar" || g == "th" || g == "cy" || g == "la") NATIVE = b[2] " " a[2]
	else NATIVE = a[2] b[2]	# Chinese, Japanese, Korean: family name first, no space
	if (g == "la" && NATIVE == FIRST " " LAST) NATIVE = ""
}
BEGIN {
	print "last_name,first_name,native_name,rank,us_equivalent_grade,service,organization,position,phone,email,language,key_leader,us_trained,notes"
	list("laL", "Garcia~García|Rodriguez~Rodríguez|Martinez~Martínez|Silva~Silva|Santos~Santos|Oliveira~Oliveira|Dubois~Dubois|Lefebvre~Lefèbvre|Kowalski~Kowalski|Nowak~Nowak|Wojcik~Wójcik|Popescu~Popescu|Stanescu~Stănescu|Santoso~Santoso|Reyes~Reyes|Cruz~Cruz|Mwangi~Mwangi|Okafor~Okafor|Mensah~Mensah|Diallo~Diallo|Nguyen~Nguyễn|Tran~Trần|Pham~Phạm|Kovacs~Kovács|Horvat~Horvat|Yilmaz~Yılmaz|Ozturk~Öztürk|Muller~Müller")
	list("laF", "Carlos~Carlos|Jose~José|Maria~María|Joao~João|Pierre~Pierre|Lukasz~Łukasz|Andrei~Andrei|Budi~Budi|Juan~Juan|Chinedu~Chinedu|Kwame~Kwame|Amadou~Amadou|Van Hung~Văn Hùng|Thi Lan~Thị Lan|Zoltan~Zoltán|Mehmet~Mehmet|Ayse~Ayşe|Jurgen~Jürgen")
	list("cyL", "Ivanov~Иванов|Petrov~Петров|Smirnov~Смирнов|Kuznetsov~Кузнецов|Popov~Попов|Sokolov~Соколов|Lebedev~Лебедев|Kozlov~Козлов|Novikov~Новиков|Morozov~Морозов|Shevchenko~Шевченко|Bondarenko~Бондаренко|Kovalenko~Коваленко|Jovanovic~Јовановић|Petrovic~Петровић|Dimitrov~Димитров|Georgiev~Георгиев|Akhmetov~Ахметов|Nurlanov~Нурланов|Batbayar~Батбаяр")
	list("cyF", "Sergei~Сергей|Andrei~Андрей|Dmitri~Дмитрий|Aleksandr~Александр|Ivan~Иван|Mikhail~Михаил|Oleksandr~Олександр|Nikolai~Николай|Vladimir~Владимир|Olga~Ольга|Elena~Елена|Natalia~Наталья|Marko~Марко|Nikola~Никола|Aidos~Айдос|Ganbold~Ганболд")
	list("arL", "Al-Hashimi~الهاشمي|Al-Rashid~الرشيد|Haddad~حداد|Khalil~خليل|Mansour~منصور|Nasser~ناصر|Saleh~صالح|Al-Otaibi~العتيبي|Al-Qahtani~القحطاني|Abdullah~عبدالله|Hussein~حسين|Ibrahim~إبراهيم|Al-Masri~المصري|Youssef~يوسف|Farouk~فاروق|Al-Zahrani~الزهراني|Bennani~بناني|Trabelsi~الطرابلسي")
	list("arF", "Ahmed~أحمد|Mohammed~محمد|Omar~عمر|Ali~علي|Khalid~خالد|Faisal~فيصل|Tariq~طارق|Yasser~ياسر|Hassan~حسن|Fatima~فاطمة|Layla~ليلى|Sami~سامي|Karim~كريم|Nabil~نبيل|Walid~وليد|Mustafa~مصطفى")
	list("zhL", "Wang~王|Li~李|Zhang~张|Liu~刘|Chen~陳|Yang~楊|Huang~黃|Zhao~赵|Lin~林|Wu~吳")
	list("zhF", "Wei~伟|Fang~芳|Jun~军|Lei~磊|Ming~明|Jie~杰|Hui~慧|Qiang~强|Chien-Hung~建宏|Chih-Wei~志偉")
	list("jaL", "Tanaka~田中|Suzuki~鈴木|Takahashi~高橋|Watanabe~渡辺|Ito~伊藤|Yamamoto~山本|Nakamura~中村|Kobayashi~小林|Sato~佐藤|Kato~加藤")
	list("jaF", "Hiroshi~博|Takeshi~武|Kenji~健二|Yuki~由紀|Daisuke~大輔|Satoshi~聡|Akira~明|Haruto~陽翔|Naoko~直子|Shinji~慎二")
	list("koL", "Kim~김|Lee~이|Park~박|Choi~최|Jung~정|Kang~강|Cho~조|Yoon~윤")
	list("koF", "Min-jun~민준|Seo-yeon~서연|Ji-hoon~지훈|Hyun-woo~현우|Dong-hyun~동현|Soo-jin~수진|Sung-ho~성호|Young-soo~영수")
	list("thL", "Srisuk~ศรีสุข|Wongsawat~วงศ์สวัสดิ์|Chaiyaporn~ชัยพร|Saetang~แซ่ตั้ง|Kittikul~กิตติกุล|Boonmee~บุญมี|Phromma~พรหมมา|Thongchai~ธงชัย|Rattanakorn~รัตนากร|Sukprasert~สุขประเสริฐ")
	list("thF", "Somchai~สมชาย|Somsak~สมศักดิ์|Prayut~ประยุทธ์|Anan~อนันต์|Chaiwat~ชัยวัฒน์|Kanya~กัญญา|Niran~นิรันดร์|Siriporn~ศิริพร|Wichai~วิชัย|Thanakorn~ธนากร")
	# ranks O-6 O-5 O-4 O-3 O-7 in each group own writing
	rk["la"] = "Coronel|Teniente Coronel|Mayor|Capitán|General de Brigada"
	rk["cy"] = "Полковник|Подполковник|Майор|Капитан|Генерал-майор"
	rk["ar"] = "عقيد|مقدم|رائد|نقيب|لواء"
	rk["zh"] = "上校|中校|少校|上尉|少將"
	rk["ja"] = "1等陸佐|2等陸佐|3等陸佐|1等陸尉|陸将補"
	rk["ko"] = "대령|중령|소령|대위|준장"
	rk["th"] = "พันเอก|พันโท|พันตรี|ร้อยเอก|พลตรี"
	split("O-6 O-5 O-4 O-3 O-7", grade, " ")
	lang["la"] = "Spanish"; lang["cy"] = "Russian"; lang["ar"] = "Arabic"; lang["zh"] = "Chinese"
	lang["ja"] = "Japanese"; lang["ko"] = "Korean"; lang["th"] = "Thai"
	cc["la"] = "+57"; cc["cy"] = "+7"; cc["ar"] = "+962"; cc["zh"] = "+886"; cc["ja"] = "+81"; cc["ko"] = "+82"; cc["th"] = "+66"
	weights("script", "la:40 cy:15 ar:20 zh:7 ja:4 ko:4 th:10")
	list("svc", "Army|Air Force|Navy|Joint Staff|Border Guard|Marines|National Guard")
	list("org", "MoD International Cooperation Directorate|Joint Staff J5 Plans|Army Staff G4 Logistics|Air Force HQ A3 Operations|Navy HQ N8 Requirements|Defense Procurement Agency|National Defense University|Military Academy|Border Guard HQ|Coast Guard HQ|Special Operations Command|MoD Budget Directorate|Armaments Directorate|Military Medical Service")
	list("pos", "Director|Deputy Director|Chief of Staff|Branch Chief|Liaison Officer|Commandant|Head of International Cooperation|Procurement Officer|Desk Officer, U.S. Relations|Chief of Training")
	list("trained", "IMET, Army War College 2015|CGSC 2012|Naval Staff College 2018|Squadron Officer School 2020|Ranger Course 2010|Marshall Center 2019|DIILS seminar 2021|Basic Officer Leader Course 2009")
	n = int(100000 / SCALE)
	for (i = 1; i <= n; i++) {
		g = pick("script")
		person(g)
		split(rk[g], rr, "|"); k = irand(1, 5)
		key = (i % 20 == 1)
		if (key && k != 5 && rand() < 0.6) k = 5	# key leaders are mostly generals
		civ = rand() < 0.15
		mail = tolower(substr(FIRST, 1, 1) "." LAST) i "@mod.example"
		gsub(/[^a-z0-9.@]/, "", mail)
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s\n", q(LAST), rand() < 0.03 ? "" : q(FIRST),
			q(NATIVE), civ ? "" : q(rr[k]), civ ? "" : grade[k], q(civ ? "Ministry (civilian)" : any("svc")),
			q(any("org")), q(any("pos")), sprintf("%s %d %07d", cc[g], irand(10, 99), irand(0, 9999999)),
			mail, lang[g], key, rand() < 0.2 ? q(any("trained")) : "",
			rand() < 0.05 ? q("Prefers meetings in the morning; interpreter needed.") : ""
	}
}' >"$dir/contacts.csv"

# ---- engagements -------------------------------------------------------------
# More engagements of late (the density grows over the ten years); one in
# three contacts named is a key leader (ids 1, 21, 41, ...).
gen 16 '
function contact() { return rand() < 0.3 ? 1 + 20 * int(rand() * NC / 20) : irand(1, NC) }
BEGIN {
	print "date,type,location,contact_ids,us_participants,program_id,objectives,outcomes,followup,followup_due,followup_done"
	weights("type", "office_call:34 kle:10 working_group:15 conference:7 visit:10 exercise:4 training_event:8 social:7 other:5")
	weights("ncont", "1:55 2:30 3:15")
	list("loc", "Ministry of Defense|Joint Staff HQ|Embassy, conference room B|Army HQ|Air Base North|Naval Base South|Military Academy|Hotel conference center|Border Guard HQ|Training area|Министерство обороны|Генеральный штаб|وزارة الدفاع|القيادة العامة|国防部|國防部|防衛省|국방부|กระทรวงกลาโหม|กองบัญชาการกองทัพไทย|Ministerio de Defensa|Ministério da Defesa")
	list("who", "SDO/DATT|Chief, ODC|SDO/DATT; Chief, ODC|Program officer|Training officer|Deputy Chief; program officer|Chief, ODC; LES assistant|EUM officer|Ambassador; SDO/DATT|DCM")
	list("item", "F-16 sustainment|UH-60M helicopters|night vision devices|coastal surveillance radar|patrol boats|C-130H spares|body armor|EOD equipment|border surveillance towers|cyber defense training|NCO academy|maritime domain awareness|IMET nominations|Javelin missiles|tactical radios")
	list("obj", "Discuss status of %s|Review the LOR for %s|Plan the exercise with %s|Courtesy call; introduce the new Chief|Coordinate end-use checks of %s|Pricing and availability for %s|Training seats for %s|Brief the partner on %s")
	list("out", "Agreed to send the LOR within a month|Partner asked for pricing and availability|No decision; meet again next month|Partner confirmed the nominees|Site visit scheduled|Concerns about delivery dates of %s|Agreed on the agenda|Partner will fund %s from its own budget")
	list("fu", "Send P&A data|Draft the MOU|Confirm the attendees|Ask DSCA about %s|Send the read-ahead|Schedule the next meeting|Request country clearance")
	NC = int(100000 / SCALE); NP = int(20000 / SCALE)
	n = int(1000000 / SCALE)
	for (i = 1; i <= n; i++) {
		d = today - 3652 + int(3653 * sqrt(rand()))
		if (d > today) d = today
		k = pick("ncont")
		a = contact(); ids = a
		if (k >= 2) { do { b = contact() } while (b == a); ids = a < b ? a ";" b : b ";" a }
		if (k == 3) { do { c = contact() } while (c == a || c == b); ids = ids ";" c }
		it = any("item")
		o = any("obj"); sub(/%s/, it, o)
		u = any("out"); sub(/%s/, it, u)
		if (rand() < 0.55) {
			f = any("fu"); sub(/%s/, it, f)
			due = d + irand(3, 60)
			done = due < today ? (rand() < 0.93) : (rand() < 0.2)
			fd = ymd(due)
		} else { f = ""; fd = ""; done = 0 }
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d\n", ymd(d), pick("type"), q(any("loc")), ids,
			q(any("who")), rand() < 0.25 ? irand(1, NP) : "", q(o), q(u), f == "" ? "" : q(f), fd, done
	}
}' >"$dir/engagements.csv"

# ---- end-use monitoring ------------------------------------------------------
# The register on the cases under way or done (FMS, FMF, Sec. 333, EDA
# implemented, supply complete or closed: read back from programs.csv,
# whose rows are programs 1, 2, 3 ...), most items under enhanced
# monitoring; each case with such items an initial inventory after its
# first delivery and a recent annual one, with a line per item each saw
# or missed. Three files from one pass: the item ids the lines name are
# the order the items are written in.
EUMDIR=$dir EUM_SCALE=${EUM_SCALE:-$scale} gen 17 '
BEGIN {
	F = "'"$dir"'/programs.csv"
	getline line < F	# the header
	while ((getline line < F) > 0) {
		np++
		split(line, f, ",")
		if (f[1] ~ /^(fms|fmf|s333|eda)$/ && f[5] ~ /^(implemented|supply_complete|closed)$/ && f[13] != "") {
			split(f[13], d, "-")
			E[++ne] = np; IMPL[ne] = days(d[1], d[2], d[3])
		}
	}
	close(F)
	dir = ENVIRON["EUMDIR"]; EUM_SCALE = ENVIRON["EUM_SCALE"]
	weights("cat", "nvd:55 comsec:10 missile:8 manpads:4 uas:3 other:20")
	weights("st", "in_storage:60 issued:30 expended:3 transferred:2 disposed:4 lost:1")
	weights("res", "seen:96 damaged:2 wrong_site:1 not_seen:1")
	list("nvd", "AN/PVS-14 monocular|AN/PVS-7D goggles|AN/PAS-13 thermal weapon sight|AN/PVS-31A binocular")
	list("comsec", "KG-175D TACLANE|AN/PYQ-10 simple key loader|KIV-7M")
	list("missile", "Javelin command launch unit|Javelin round|TOW-2B round|Hellfire AGM-114")
	list("manpads", "Stinger gripstock|Stinger missile round")
	list("uas", "RQ-20 Puma air vehicle|ScanEagle air vehicle")
	list("other", "Rifle mount|Spare battery pack|Carrying case|Radio handset")
	list("site", "Central depot|North base armory|South base armory|Air base magazine|Naval base store|Special operations compound|Border brigade store|Training center")
	list("unit", "1st Brigade|2nd Brigade|Special Operations Regiment|Border Guard Battalion|Air Defense Battalion|Marine Battalion|Signals Regiment")
	print "program_id,case_line,category,description,serial_number,eeum,delivered_date,site,unit,custodian_contact_id,status,status_date,external_ref,notes"
	print "date,kind,program_id,site,us_participants,findings,report_ref,followup,followup_due,followup_done" > (dir "/eum_checks.csv")
	print "check_id,item_id,result,notes" > (dir "/eum_check_items.csv")
	n = int(100000 / EUM_SCALE); NC = int(100000 / SCALE)
	avg = ne ? n / ne : 0
	for (i = 0; ne && i < n; ) {
		e = irand(1, ne); g = E[e]
		if (DONE[g]++) continue
		k = irand(1, 2 * avg + 1); if (i + k > n) k = n - i
		first = 0
		for (j = 1; j <= k; j++) {
			c = pick("cat"); ee = c != "other" ? 1 : (rand() < 0.1)
			dv = IMPL[e] + irand(30, 700); if (dv >= today) dv = today - irand(1, 30)
			if (!first || dv < first) first = dv
			st = pick("st"); sd = st == "in_storage" ? "" : ymd(dv + irand(1, today - dv))
			site = any("site")
			printf "%d,%03d,%s,%s,%s,%d,%s,%s,%s,%s,%s,%s,%s,\n", g, irand(1, 12), c, q(any(c)),
				sprintf("%s%d-%06d", toupper(substr(c, 1, 2)), g, j), ee, ymd(dv), q(site),
				q(any("unit")), rand() < 0.3 ? irand(1, NC) : "", st, sd,
				rand() < 0.5 ? sprintf("EUM-%07d", i + j) : ""
			id = i + j; ITEM[j] = id; EEUM[j] = ee; DEL[j] = dv; SITE[j] = site
		}
		# the inventories: an initial one after the first delivery, an
		# annual one in the last year, when each has passed
		for (v = 1; v <= 2; v++) {
			cd = v == 1 ? first + irand(20, 80) : today - irand(20, 380)
			if (cd >= today || (v == 2 && cd <= first + 80)) continue
			fu = rand() < 0.2
			fdue = cd + irand(14, 90)
			printf "%s,%s,%d,,%s,%s,%s,%s,%s,%d\n", ymd(cd), v == 1 ? "initial_inventory" : "annual_inventory",
				g, q("EUM officer; SCO chief"), fu ? q("Storage door lock broken") : "",
				sprintf("EUMR-%d-%d", g, v), fu ? q("Partner to repair the lock and report") : "",
				fu ? ymd(fdue) : "", fu ? (fdue < today ? rand() < 0.8 : 0) : 0 > (dir "/eum_checks.csv")
			nchk++
			for (j = 1; j <= k; j++)
				if (EEUM[j] && DEL[j] < cd)
					printf "%d,%d,%s,\n", nchk, ITEM[j], v == 1 ? "seen" : pick("res") > (dir "/eum_check_items.csv")
		}
		i += k
	}
}' >"$dir/eum_items.csv"

echo "today $today; CSV files in $dir ($(du -sm "$dir" | cut -f1) MB, made in $(since "$made") s)"
"$bin" --db "$db" init >/dev/null
total=$(now)
for t in billets personnel programs students contacts engagements eum_items eum_checks eum_check_items; do
	t0=$(now)
	"$bin" --db "$db" import "$t" "$dir/$t.csv" >"$dir/$t.out"
	rows=$(($(wc -l <"$dir/$t.csv") - 1))
	secs=$(since "$t0")
	printf '%-16s %8d rows %8s s %10s rows/s\n' "$t" "$rows" "$secs" \
		"$(awk -v r="$rows" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')"
done
echo "total $(since "$total") s; $db: $(du -m "$db" | cut -f1) MB"
