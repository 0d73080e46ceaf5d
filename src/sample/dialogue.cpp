#include "sample/dialogue.hpp"

#include <stdexcept>
#include <string>

namespace dramaloc::sample {
namespace {

// Voices are chosen by measurement (bench/asr_voices_bench): among espeak-ng's English
// voices, those the embedded recogniser hears best (word error rate over this scene 41-47 %;
// the voices used before, en+f2 / en+m3 / en+m7, 70-87 %), and far enough apart in pitch
// and timbre for speaker clustering: a high female voice, a low male voice and an older,
// slower man.
constexpr SampleCharacter kCharacters[] = {
    {"lin", "Lin Xia", "en-us+f5", 60, 160, -0.15f},
    {"chen", "Chen Mo", "en-us+adam", 25, 165, 0.15f},
    {"zhao", "Old Zhao", "en-us+klatt", 45, 150, 0.05f},
};

// A scene in the usual short-drama register: a return, a wedding, a family secret.
constexpr DialogueLine kLines[] = {
    {"lin", "Why did you come back?", "你为什么回来？"},
    {"chen", "I came back for you.", "我是为你回来的。"},
    {"lin", "Three years, and not one call.", "三年了，一个电话都没有。"},
    {"chen", "I could not call. My father was watching me.", "我不能打电话。我父亲一直盯着我。"},
    {"lin", "That is not a good reason.", "这不是什么好理由。"},
    {"chen", "I know. I am sorry.", "我知道。对不起。"},
    {"zhao", "Miss Lin, the car is ready.", "林小姐，车准备好了。"},
    {"lin", "Tell them to wait.", "让他们等一下。"},
    {"chen", "Are you going somewhere?", "你要去哪里？"},
    {"lin", "I am getting married tomorrow.", "我明天就要结婚了。"},
    {"chen", "Who is the man?", "那个男人是谁？"},
    {"lin", "It is not your business.", "这不关你的事。"},
    {"chen", "It is my business. I still love you.", "这就是我的事。我还爱着你。"},
    {"lin", "Then why did you leave me?", "那你为什么离开我？"},
    {"chen", "My family said they would hurt you.", "我家里人说他们会伤害你。"},
    {"lin", "You should have told me.", "你应该告诉我的。"},
    {"chen", "I wanted to keep you safe.", "我只想保护你。"},
    {"zhao", "Sir, your mother is on the phone.", "先生，您母亲来电话了。"},
    {"chen", "Tell her I will call back later.", "告诉她我晚点回电话。"},
    {"lin", "Your mother never liked me.", "你母亲从来不喜欢我。"},
    {"chen", "She does not know you like I do.", "她不像我这样了解你。"},
    {"lin", "Please go home, Chen.", "陈默，请回家吧。"},
    {"chen", "Not without you.", "没有你，我不走。"},
    {"lin", "I made a promise to another man.", "我答应了另一个男人。"},
    {"chen", "Do you love him?", "你爱他吗？"},
    {"lin", "That does not matter now.", "现在这已经不重要了。"},
    {"chen", "It is the only thing that matters.", "这是唯一重要的事。"},
    {"zhao", "Miss Lin, we are late.", "林小姐，我们要迟到了。"},
    {"lin", "I am coming.", "我来了。"},
    {"chen", "Wait. Take this letter.", "等等。拿着这封信。"},
    {"lin", "What is it?", "这是什么？"},
    {"chen", "The truth about my family.", "关于我家的真相。"},
    {"lin", "Why now?", "为什么是现在？"},
    {"chen", "Because tomorrow is too late.", "因为明天就太晚了。"},
    {"lin", "I will read it tonight.", "我今晚会看的。"},
    {"chen", "I will wait for you at the old house.", "我会在老房子等你。"},
    {"lin", "Do not wait for me.", "不要等我。"},
    {"chen", "I waited three years. One more night is nothing.", "我等了三年。多等一晚不算什么。"},
    {"zhao", "Sir, it is starting to rain.", "先生，开始下雨了。"},
    {"chen", "Let it rain.", "让它下吧。"},
};

// The same story in short lines: 3-8 Chinese characters each (punctuation not counted).
constexpr DialogueLine kShortLines[] = {
    {"lin", "Where were you?", "你去哪了？"},
    {"chen", "I was away.", "我出门了。"},
    {"lin", "For three years?", "整整三年？"},
    {"chen", "I am sorry.", "对不起。"},
    {"lin", "Go home.", "回家去吧。"},
    {"chen", "Not without you.", "没有你我不走。"},
    {"zhao", "The car is here.", "车到了。"},
    {"lin", "Tell them to wait.", "让他们等等。"},
    {"chen", "Who is he?", "他是谁？"},
    {"lin", "My husband.", "我的丈夫。"},
    {"chen", "Do you love him?", "你爱他吗？"},
    {"lin", "It does not matter.", "这不重要。"},
    {"chen", "It matters to me.", "对我很重要。"},
    {"zhao", "Miss Lin, we are late.", "林小姐，晚了。"},
    {"lin", "I know.", "我知道。"},
    {"chen", "Take this letter.", "拿着这封信。"},
    {"lin", "What is it?", "这是什么？"},
    {"chen", "The truth.", "是真相。"},
    {"lin", "Why now?", "为什么是现在？"},
    {"chen", "Tomorrow is too late.", "明天就晚了。"},
    {"lin", "Do not wait for me.", "别等我。"},
    {"chen", "I will wait.", "我会等的。"},
    {"zhao", "It is raining, sir.", "先生，下雨了。"},
    {"chen", "Let it rain.", "让它下吧。"},
    {"lin", "Goodbye, Chen.", "再见，陈默。"},
    {"chen", "Wait!", "等一下！"},
    {"lin", "What now?", "又怎么了？"},
    {"chen", "I still love you.", "我还爱你。"},
    {"lin", "Too late.", "太晚了。"},
    {"zhao", "The guests are waiting.", "客人在等。"},
};


// A scene for reading burned-in text: common characters that look alike in many fonts (手 王,
// 忙 1, 话 医, 吗 吧, 问 名, 合 台), every full-width mark Chinese subtitles use (，。？！：“”),
// and Latin letters and digits that the picture really shows (VIP, 8).
constexpr DialogueLine kVariedLines[] = {
    {"lin", "Are you busy now?", "你现在忙吗？"},
    {"chen", "Give me your hand.", "把手给我。"},
    {"zhao", "Sir, the car from the VIP hotel.", "先生，VIP酒店的车来了。"},
    {"chen", "Room eight, third floor.", "三楼8号房间。"},
    {"chen", "It says: you are free.", "上面写着：你自由了。"},
    {"lin", "He says: come alone.", "他说：“一个人来。”"},
    {"lin", "Who called you just now?", "刚才谁给你打的电话？"},
    {"chen", "My mother asked about you.", "我妈问起你了。"},
    {"zhao", "The contract is signed.", "合同已经签好了。"},
    {"lin", "Read it to me.", "你念给我听。"},
    {"lin", "Is that the truth?", "这是真的吗？"},
    {"chen", "I never lie to you.", "我从来不骗你。"},
    {"zhao", "The doctor is here.", "医生到了。"},
    {"lin", "Let him in.", "请他进来。"},
    {"lin", "Bring me water, please.", "麻烦给我倒杯水。"},
    {"zhao", "Here you are, Miss Lin.", "林小姐，您的水。"},
    {"chen", "Why are your hands so cold?", "你的手怎么这么凉？"},
    {"lin", "I am afraid.", "我害怕。"},
    {"chen", "Of what?", "怕什么？"},
    {"lin", "Of losing you again.", "怕再一次失去你。"},
    {"chen", "You will not lose me.", "你不会失去我的。"},
    {"chen", "Tell the driver to wait.", "让司机等一会儿。"},
    {"lin", "Say it again.", "你再说一遍。"},
    {"chen", "I love you.", "我爱你。"},
    {"lin", "Louder!", "大声点！"},
    {"chen", "I love you!", "我爱你！"},
    {"zhao", "Everyone heard that.", "大家都听见了。"},
    {"lin", "Good.", "很好。"},
    {"chen", "Let us go home together.", "我们一起回家吧。"},
    {"lin", "Wait, my phone.", "等等，我的手机。"},
    {"zhao", "It is on the table.", "在桌子上。"},
    {"chen", "Who sent the message?", "谁发的消息？"},
    {"lin", "Your father.", "你父亲。"},
    {"chen", "What does he want?", "他想要什么？"},
    {"chen", "Then I will go.", "那我去。"},
    {"lin", "Not without me.", "没有我不行。"},
    {"zhao", "The rain has stopped.", "雨停了。"},
    {"chen", "The sky is clear.", "天晴了。"},
    {"lin", "Finally.", "终于。"},
    {"chen", "Let us begin again.", "我们重新开始吧。"},
};

}  // namespace

const char* to_string(Scene scene) noexcept {
    switch (scene) {
        case Scene::Short: return "short";
        case Scene::Varied: return "varied";
        case Scene::Standard: break;
    }
    return "standard";
}

std::optional<Scene> scene_from_string(std::string_view name) noexcept {
    for (const Scene s : {Scene::Standard, Scene::Short, Scene::Varied})
        if (name == to_string(s)) return s;
    return std::nullopt;
}

std::span<const SampleCharacter> sample_characters() { return kCharacters; }
std::span<const DialogueLine> sample_dialogue(Scene scene) {
    if (scene == Scene::Short) return kShortLines;
    if (scene == Scene::Varied) return kVariedLines;
    return kLines;
}

const SampleCharacter& sample_character(std::string_view id) {
    for (const SampleCharacter& c : kCharacters) {
        if (c.id == id) return c;
    }
    throw std::out_of_range("no sample character \"" + std::string(id) + "\"");
}

}  // namespace dramaloc::sample
