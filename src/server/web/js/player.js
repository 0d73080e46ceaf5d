// The vertical player: the episode's picture (<video>, muted while a dub plays) and the
// language's dub (<audio>) kept in step with it, or the picture's own sound.

export class Player {
  constructor(video, dub) {
    this.video = video;
    this.dub = dub;
    this.useDub = false;
    this.stopAt = null;  // playing one line: pause here (seconds)
    this.listeners = [];
    const follow = () => this.sync(true);
    video.addEventListener('play', () => { if (this.useDub) { this.sync(true); this.dub.play().catch(() => {}); } this.emit(); });
    video.addEventListener('pause', () => { this.dub.pause(); this.emit(); });
    video.addEventListener('seeked', follow);
    video.addEventListener('ratechange', () => { this.dub.playbackRate = video.playbackRate; });
    // The picture stalls to buffer: the dub waits for it.
    video.addEventListener('waiting', () => this.dub.pause());
    video.addEventListener('playing', () => this.sync(true));
    video.addEventListener('timeupdate', () => {
      if (this.stopAt !== null && video.currentTime >= this.stopAt) {
        this.stopAt = null;
        video.pause();
      }
      this.sync(false);
      this.emit();
    });
    // Finer than timeupdate (~4 per second): the current line follows the picture.
    const tick = () => {
      if (!video.paused) this.emit();
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  onTime(listener) { this.listeners.push(listener); }
  emit() { for (const l of this.listeners) l(this.video.currentTime, !this.video.paused); }

  // Keeps the dub on the picture's clock (it drifts when the browser stalls one of them).
  sync(force) {
    if (!this.useDub || !this.dub.src) return;
    const drift = Math.abs(this.dub.currentTime - this.video.currentTime);
    if (force || drift > 0.15) this.dub.currentTime = this.video.currentTime;
    const dubHasMore = this.dub.duration ? this.video.currentTime < this.dub.duration : true;
    if (!this.video.paused && this.dub.paused && dubHasMore) this.dub.play().catch(() => {});
  }

  // New sources, keeping the position (after a re-render the files change in place).
  load(videoUrl, dubUrl) {
    const at = this.video.currentTime || 0;
    if (videoUrl && this.video.getAttribute('src') !== videoUrl) {
      this.video.src = videoUrl;
      this.video.currentTime = at;
    }
    this.useDub = Boolean(dubUrl);
    this.video.muted = this.useDub;
    if (dubUrl && this.dub.getAttribute('src') !== dubUrl) {
      this.dub.src = dubUrl;
      this.dub.currentTime = at;
    }
    if (!dubUrl) this.dub.pause();
  }

  toggle() { return this.video.paused ? this.play() : this.pause(); }
  play() { return this.video.play().catch(() => {}); }
  pause() { this.stopAt = null; this.video.pause(); }
  seek(seconds) {
    this.video.currentTime = Math.max(0, Math.min(seconds, this.video.duration || seconds));
    this.sync(true);
    this.emit();
  }
  // Plays [start - 0.5 s, end + 0.5 s] of a line, then stops.
  playRange(startMs, endMs) {
    this.seek(Math.max(0, startMs / 1000 - 0.5));
    this.stopAt = endMs / 1000 + 0.5;
    return this.play();
  }
}
