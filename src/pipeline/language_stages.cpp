#include "pipeline/language_stages.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/parallel.hpp"
#include "subtitles/check.hpp"

namespace dramaloc::pipeline {

namespace {


struct QcInputs {
    const Script& source;              // the source script (its lines, one for one with the translation's)
    const std::vector<LineDub>& dubs;
    const AppliedEdits& edits;
    const VoiceReferences& references;
    const subtitles::SubtitleRules& rules;
    FrameRate fps;
    const LocalizeOptions& options;
    int shorten_rounds;
};

QcFinding line_finding(const std::string& rule, const std::string& severity, int line_id, double value, double limit,
                       const std::string& message) {
    return {rule, severity, line_id, std::nullopt, value, limit, message};
}

// The findings of one line's dub: fit, shortening, a late start, an untranslated line.
void check_line(std::vector<QcFinding>& findings, const Line& source, const Line& line, const LineDub& dub, TimeMs shifted,
                const std::string& language, const QcInputs& in) {
    const FitReport& r = dub.fitted.report;
    const int id = line.id;
    if (!r.fits)
        findings.push_back(line_finding("fit_overflow", "warning", id, static_cast<double>(r.overflow_ms), 0,
                                        "line " + std::to_string(id) + ": dub runs " + std::to_string(r.overflow_ms) +
                                            " ms past its slot even at " + std::to_string(in.options.languages.fit.max_speed) + "x"));
    if (r.speed > 1.0 + 1e-6)
        findings.push_back(line_finding("fit_speed", "info", id, r.speed, in.options.languages.fit.max_speed,
                                        "line " + std::to_string(id) + ": sped up to fit its slot"));
    if (!dub.rounds.empty())
        findings.push_back(line_finding("fit_shortened", "info", id, static_cast<double>(dub.rounds.size()), in.shorten_rounds,
                                        "line " + std::to_string(id) + ": shortened in " + std::to_string(dub.rounds.size()) +
                                            " round(s) to fit its slot: \"" + dub.clip.text + "\""));
    if (shifted > 0)
        findings.push_back(line_finding("clip_shifted", "warning", id, static_cast<double>(shifted), 0,
                                        "line " + std::to_string(id) + ": dub starts " + std::to_string(shifted) +
                                            " ms late because the previous line overflowed"));
    if (looks_untranslated(source.text, line.text, in.source.language, language))
        findings.push_back(line_finding("untranslated", "warning", id, 1, 0,
                                        "line " + std::to_string(id) + " was left untranslated: \"" + line.text + "\""));
}

// QC of one language: subtitle rules, fit, loudness of the final mix as written, untranslated
// lines, and people's edits that no longer apply.
QcReport check_language(const LanguageResult& result, const QcInputs& in) {
    QcReport qc;
    const auto& lines = result.script.lines;
    qc.findings = in.edits.conflicts;
    for (const auto& v : subtitles::check_events(result.subtitles.events, in.rules, in.fps))
        qc.findings.push_back({v.rule, subtitles::to_string(v.severity), 0, v.event_id, v.value, v.limit, v.message});
    for (std::size_t i = 0; i < lines.size(); ++i) {
        check_line(qc.findings, in.source.lines[i], lines[i], in.dubs[i], result.dub.shifted[i], result.language, in);
        const FitReport& r = in.dubs[i].fitted.report;
        const TimeMs start = result.dub.starts[i];
        qc.clips.push_back({lines[i].id, lines[i].start, lines[i].end, start, start + in.dubs[i].fitted.duration_ms, r.speed,
                            r.borrowed_ms, r.overflow_ms, result.dub.shifted[i], in.dubs[i].rounds});
        qc.summary.lines_fitting += r.fits;
    }
    // A cloning synthesizer without a reference for a character speaks in its preset voice.
    for (const auto& [id, cut] : in.references.by_character)
        if (cut.file.empty())
            qc.findings.push_back(line_finding("no_voice_reference", "info", 0, 0, in.options.engines.tts.reference_min_s,
                                               "character " + id + " speaks in a preset voice: " + cut.reason));
    const MixReport& mix = result.dub.report;
    const auto& m = in.options.languages.mix;
    if (mix.integrated_lufs && std::abs(*mix.integrated_lufs - m.target_lufs) > 1.0)
        qc.findings.push_back(line_finding("loudness", "error", 0, *mix.integrated_lufs, m.target_lufs,
                                           "integrated loudness is off target by more than 1 LU"));
    if (mix.integrated_lufs && mix.true_peak_dbtp && *mix.true_peak_dbtp > m.max_true_peak + 0.1)
        qc.findings.push_back(line_finding("true_peak", "error", 0, *mix.true_peak_dbtp, m.max_true_peak, "true peak above the limit"));
    QcSummary& s = qc.summary;
    s.lines = static_cast<int>(lines.size());
    s.events = static_cast<int>(result.subtitles.events.size());
    s.edited = static_cast<int>(std::count(in.edits.edited.begin(), in.edits.edited.end(), true));
    s.edit_conflicts = static_cast<int>(in.edits.conflicts.size());
    if (mix.integrated_lufs) s.integrated_lufs = mix.integrated_lufs, s.true_peak_dbtp = mix.true_peak_dbtp;
    for (const auto& f : qc.findings) {
        s.errors += f.severity == "error";
        s.warnings += f.severity == "warning";
        s.untranslated += f.rule == "untranslated";
        s.over_reading_speed += f.rule == "max_chars_per_second";
        s.fit_overflows += f.rule == "fit_overflow";
    }
    return qc;
}

}  // namespace

LanguageResult localize_language(StageContext& context, const SourceAnalysis& source, const std::string& language,
                                 const LocalizeOptions& options, const subtitles::SubtitleRules& rules, FrameRate fps) {
    LanguageResult out;
    out.language = language;
    const auto& lines = out.script.lines;
    auto translator = engines::make_translator(options.engines.translate);
    // The walk's state: what each stage leaves for the next.
    Translation translation;
    AppliedEdits edits;
    std::optional<VoiceCast> cast;
    std::vector<LineDub> dubs;
    int rounds = 0;
    std::string spoken_key;
    StageSteps steps;

    steps[StageId::Translate].run = [&] {
        translation = translate(context, source.script, *translator, {language, options.languages.series.get(), options.languages.max_untranslated_share});
        out.script = translation.script;
        for (const auto& line : lines) out.machine.push_back(line.text);
        const auto own = options.languages.edits.find(language);
        edits = apply_edits(out.script, own == options.languages.edits.end() ? nullptr : &own->second);
        // Lines are synthesized and fitted in parallel (the engine serialises what it must).
        cast = cast_voices(context, source.script.characters, out.script, {&options.source.series_characters, &options.source.known_characters}, language,
                           options.engines.tts);
        dubs.assign(lines.size(), LineDub{});
        rounds = translator->can_shorten() ? options.languages.fit.shorten_rounds : 0;
        context.announce(language + ": synthesize and fit " + std::to_string(lines.size()) + " lines");
    };
    // Per line: what it is called in the run log, the room its clip has after its end, the take.
    const auto scope_of = [&](std::size_t i) { return language + "/line " + std::to_string(lines[i].id); };
    const auto available_after = [&](std::size_t i) {
        const TimeMs next_start = i + 1 < lines.size() ? lines[i + 1].start : source.duration_ms;
        return std::max<TimeMs>(0, next_start - lines[i].end - kClipGapMs);
    };
    const auto speak = [&](std::size_t i, const std::string& text) {
        const auto take = edits.takes.find(lines[i].id);
        dubs[i].clip = synthesize_line(context, *cast, lines[i], text, take == edits.takes.end() ? 0 : take->second, scope_of(i));
    };
    const auto fit = [&](std::size_t i) {
        dubs[i].fitted = fit_clip(context, dubs[i].clip, lines[i], available_after(i), options.languages.fit, scope_of(i));
    };
    steps[StageId::Synthesize].per_line = [&](std::size_t i) { speak(i, lines[i].text); };
    steps[StageId::Fit].per_line = fit;
    // A line a person wrote is theirs: it is not shortened (QC reports the overflow).
    steps[StageId::Shorten].per_line = [&](std::size_t i) {
        if (edits.edited[i]) return;
        shorten_until_fits(context, {*translator, translation.key, language, rounds}, dubs[i], lines[i],
                           lines[i].duration() + available_after(i), scope_of(i), [&](const std::string& text) {
                               speak(i, text);
                               fit(i);
                           });
    };
    steps[StageId::SpokenScript].run = [&] { spoken_key = spoken_script(out.script, translation.key, edits, dubs); };
    steps[StageId::Subtitles].run = [&] { out.subtitles = segment_subtitles(context, out.script, spoken_key, rules, fps); };
    steps[StageId::Mix].run = [&] {
        out.dub = mix_dub(context, lines, dubs, {source.audio, source.speech, options.languages.background_stem, options.languages.mix}, language);
    };
    steps[StageId::EncodeDub].run = [&] { out.dub_m4a = encode_dub(context, out.dub, language); };
    // The translation keeps the source's lines, one for one: as many lines as the source has.
    run_stages({StagePhase::Language}, steps, source.script.script.lines.size(), resolve_jobs(options.run.jobs));

    out.qc = check_language(out, {source.script.script, dubs, edits, source.voice_references, rules, fps, options, rounds});
    out.edit_conflicts = edits.conflicts;
    return out;
}

}  // namespace dramaloc::pipeline
