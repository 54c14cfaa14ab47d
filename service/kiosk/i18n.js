/* Texts of the kiosk page in Indonesian (the default) and English.  KD.t(key)
   gives the text in the chosen language; elements with data-i18n="key" get
   it as their text whenever the language changes.  The choice is kept in
   localStorage. */
"use strict";
var KD = window.KD || (window.KD = {});

KD.i18n = (function () {
  var texts = {
    id: {
      tagline: "kerja dekat rumah", nav_register: "Daftar", nav_status: "Cek status", nav_setup: "Pengaturan",
      lang_other: "English",
      setup_title: "Penyiapan kios", setup_help: "Petugas: tempel token kios. Token disimpan di perangkat ini saja, tidak pernah di alamat halaman.",
      setup_token: "Token kios", setup_save: "Simpan", setup_saved: "Token tersimpan dan diterima server.",
      setup_saved_offline: "Token tersimpan; server belum bisa dihubungi untuk memeriksanya.",
      setup_bad: "Token ditolak server.", setup_format: "Token berbentuk kd_<id>_<rahasia>.",
      setup_needed: "Kios belum disiapkan: petugas harus memasukkan token kios.",
      reg_title: "Pendaftaran pencari kerja", f_nik: "NIK (16 angka)", f_name: "Nama lengkap",
      f_birth: "Tanggal lahir", f_gender: "Jenis kelamin", g_m: "Laki-laki", g_f: "Perempuan",
      f_phone: "Nomor HP", f_reg: "Kabupaten / kota", f_kec: "Kecamatan", f_desa: "Desa / kelurahan", f_edu: "Pendidikan terakhir",
      f_skills: "Keahlian", skill_add: "Tambah keahlian", skill_remove: "Hapus",
      f_exp: "Pengalaman kerja (tahun)", f_disability: "Penyandang disabilitas?", yes: "Ya", no: "Tidak",
      choose: "— pilih —",
      consent_text: "Saya setuju data saya (NIK, nama, tanggal lahir, nomor HP, desa, pendidikan dan keahlian) disimpan oleh Dinas Tenaga Kerja Kutai Kartanegara untuk mencarikan lowongan kerja di dekat rumah saya, dan dihapus bila saya memintanya. Kabar pendaftaran dan tawaran kerja dikirim lewat SMS ke nomor HP saya; balas BERHENTI untuk berhenti.",
      consent_version: "Versi persetujuan", consent_accept: "Saya setuju",
      guardian_text: "Di bawah 18 tahun: orang tua atau wali harus ikut menyetujui.", guardian_accept: "Orang tua / wali setuju",
      reg_submit: "Daftar", sending: "Mengirim…",
      e_required: "wajib diisi", e_nik_digits: "harus 16 angka", e_nik_region: "kode provinsi/kabupaten tidak sesuai",
      e_nik_birth: "tidak sesuai dengan tanggal lahir dan jenis kelamin", e_name_long: "paling banyak 100 byte",
      e_date: "tanggal tidak valid", e_age_min: "umur minimal 15 tahun", e_phone: "nomor HP tidak valid",
      e_skills_min: "isi minimal satu keahlian", e_skills_max: "paling banyak 30 keahlian",
      e_exp: "harus 0 sampai 60", e_consent: "persetujuan diperlukan", e_guardian: "persetujuan wali diperlukan",
      e_form: "Periksa isian yang ditandai.", e_server: "Server menolak pendaftaran",
      queue_title: "Menunggu jaringan", queued: "Tidak ada jaringan: pendaftaran disimpan dan akan dikirim otomatis.",
      queue_item: "Pendaftaran tertunda sejak", queue_failed: "Pendaftaran tertunda ditolak",
      offline: "Jaringan terputus. Pendaftaran tetap bisa dilakukan dan dikirim nanti.",
      rc_title: "Pendaftaran berhasil", rc_keep: "Simpan kode ini untuk cek status lamaran.",
      rc_matches: "Lowongan terdekat yang cocok", rc_none: "Belum ada lowongan yang cocok saat ini.",
      rc_next: "Pendaftar berikutnya", rc_same_kec: "Kecamatan yang sama", rc_km: "km", rc_skills: "Keahlian cocok",
      rc_unknown: "Keahlian yang belum dikenal (disimpan apa adanya)",
      st_title: "Cek status lamaran", st_code: "Kode pendaftaran", st_submit: "Cek",
      st_none: "Belum ada tawaran kerja.", st_not_found: "Kode atau tanggal lahir tidak cocok.",
      st_rate: "Terlalu banyak percobaan. Coba lagi nanti.", st_offline: "Tidak ada jaringan. Coba lagi nanti.",
      st_decide_by: "Jawab sebelum", st_offered: "Ditawarkan", st_decided: "Diputuskan",
      st_decline: "Tolak tawaran", st_reason: "Alasan (boleh kosong)", st_declined_ok: "Tawaran ditolak.",
      st_not_pending: "Tawaran ini sudah tidak menunggu jawaban.",
      state_pending: "Menunggu jawaban", state_accepted: "Diterima", state_rejected: "Ditolak perusahaan",
      state_declined: "Anda tolak", state_expired: "Kedaluwarsa",
      r_too_far: "Terlalu jauh", r_wage_too_low: "Upah terlalu rendah", r_found_other_work: "Sudah dapat kerja lain",
      r_personal: "Alasan pribadi", r_other: "Lainnya"
    },
    en: {
      tagline: "work close to home", nav_register: "Register", nav_status: "Check status", nav_setup: "Setup",
      lang_other: "Bahasa Indonesia",
      setup_title: "Kiosk setup", setup_help: "Staff: paste the kiosk token. It is kept on this device only, never in the page address.",
      setup_token: "Kiosk token", setup_save: "Save", setup_saved: "Token saved and accepted by the server.",
      setup_saved_offline: "Token saved; the server could not be reached to check it.",
      setup_bad: "The server refused this token.", setup_format: "A token looks like kd_<id>_<secret>.",
      setup_needed: "This kiosk is not set up yet: staff must enter the kiosk token.",
      reg_title: "Job seeker registration", f_nik: "NIK (16 digits)", f_name: "Full name",
      f_birth: "Birth date", f_gender: "Gender", g_m: "Male", g_f: "Female",
      f_phone: "Mobile number", f_reg: "Regency / city", f_kec: "Kecamatan (district)", f_desa: "Village (desa / kelurahan)", f_edu: "Education",
      f_skills: "Skills", skill_add: "Add skill", skill_remove: "Remove",
      f_exp: "Work experience (years)", f_disability: "Person with a disability?", yes: "Yes", no: "No",
      choose: "— choose —",
      consent_text: "I agree that my data (NIK, name, birth date, mobile number, village, education and skills) is kept by the Manpower Office of Kutai Kartanegara to find me work close to home, and erased when I ask. News of my registration and job offers is sent by SMS to my mobile number; reply BERHENTI to stop.",
      consent_version: "Consent version", consent_accept: "I agree",
      guardian_text: "Under 18: a parent or guardian must agree too.", guardian_accept: "My parent / guardian agrees",
      reg_submit: "Register", sending: "Sending…",
      e_required: "required", e_nik_digits: "must be 16 digits", e_nik_region: "province/regency code does not fit",
      e_nik_birth: "does not agree with birth date and gender", e_name_long: "at most 100 bytes",
      e_date: "not a valid date", e_age_min: "must be at least 15 years old", e_phone: "not a valid phone number",
      e_skills_min: "add at least one skill", e_skills_max: "at most 30 skills",
      e_exp: "must be 0 to 60", e_consent: "consent is required", e_guardian: "guardian consent is required",
      e_form: "Check the marked fields.", e_server: "The server refused the registration",
      queue_title: "Waiting for the network", queued: "No network: the registration is saved and will be sent automatically.",
      queue_item: "Registration waiting since", queue_failed: "A waiting registration was refused",
      offline: "The network is down. Registrations still work and are sent later.",
      rc_title: "Registered", rc_keep: "Keep this code to check your status.",
      rc_matches: "Nearby matching vacancies", rc_none: "No matching vacancy right now.",
      rc_next: "Next person", rc_same_kec: "Same kecamatan", rc_km: "km", rc_skills: "Matched skills",
      rc_unknown: "Skills not in the taxonomy (kept as written)",
      st_title: "Check your application", st_code: "Registration code", st_submit: "Check",
      st_none: "No job offers yet.", st_not_found: "Code or birth date does not match.",
      st_rate: "Too many attempts. Try again later.", st_offline: "No network. Try again later.",
      st_decide_by: "Answer by", st_offered: "Offered", st_decided: "Decided",
      st_decline: "Decline offer", st_reason: "Reason (optional)", st_declined_ok: "Offer declined.",
      st_not_pending: "This offer is no longer waiting for an answer.",
      state_pending: "Waiting for your answer", state_accepted: "Accepted", state_rejected: "Rejected by employer",
      state_declined: "Declined by you", state_expired: "Expired",
      r_too_far: "Too far", r_wage_too_low: "Wage too low", r_found_other_work: "Found other work",
      r_personal: "Personal reasons", r_other: "Other"
    }
  };
  var lang = localStorage.getItem("kd.lang") === "en" ? "en" : "id";
  var listeners = [];

  function t(key) {
    return texts[lang][key] || texts.id[key] || key;
  }

  function apply() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(function (el) {
      el.textContent = t(el.getAttribute("data-i18n"));
    });
    listeners.forEach(function (fn) { fn(lang); });
  }

  function toggle() {
    lang = lang === "id" ? "en" : "id";
    localStorage.setItem("kd.lang", lang);
    apply();
  }

  return {
    t: t, apply: apply, toggle: toggle,
    lang: function () { return lang; },
    onChange: function (fn) { listeners.push(fn); }
  };
})();
