/* SPDX-License-Identifier: MIT */
/* chardet.c: statistical guess of a feed's encoding when nothing declared
 * one that works (feedparser's chardet step, see encoding.c).
 *
 * Every candidate encoding is paired with a language model. The sample is
 * decoded strictly as iconv would (an invalid byte rules the candidate
 * out: single-byte code pages through tables generated from iconv at
 * build time, multibyte ones screened first for byte pairs iconv rejects,
 * so few gconv modules are ever loaded) and the decoded text is scored
 * as a log-likelihood: each non-ASCII
 * character gets the log of its probability in that language (frequency
 * tiers for CJK, Zipf weights over letters in frequency order for
 * alphabets, a small shared mass for typographic punctuation, and almost
 * nothing for everything else), plus transition penalties a wrong
 * decoding trips over: an upper-case letter after a lower-case one inside
 * a word, letters of two alphabets in one word, a symbol between letters,
 * a Thai vowel mark without a consonant, a Hebrew or Greek final form
 * inside a word. ASCII characters score a constant, so multibyte
 * candidates that swallow ASCII trail bytes are compared fairly. The best
 * candidate wins if it explains the bytes clearly better than random bytes
 * would; otherwise the caller keeps feedparser's fixed fallbacks.
 *
 * The frequency orders and tiers are written from general knowledge of the
 * languages (common letters, the most frequent characters of Chinese,
 * Japanese and Korean text); nothing is fitted to any test corpus. Names
 * are spelled the way Python's chardet reports them, because feedparser
 * reports that spelling as the document's encoding. */
#include "feed/feed_int.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/xalloc.h"
/* build/gen/sbcs_tables.h, generated from iconv at build time by
 * scripts/gen-sbcs-tables.c (code pages listed in the Makefile): 256-entry
 * tables of the single-byte candidates and the impossible byte pairs of the
 * multibyte ones. */
#include "sbcs_tables.h"

/* Only the start of a large document is examined. */
#define SAMPLE_MAX (256 * 1024)
/* Evidence (in nats) the winner needs over the random-bytes baseline. */
#define MIN_MARGIN 5.0
#define LP_FOREIGN (-13.8) /* log 1e-6: a character the language does not use */

/* ---- language models ---------------------------------------------------- */

enum model_kind { MK_CJK, MK_ALPHA };

struct tier {
    const char *chars; /* UTF-8 */
    double mass;       /* share of the language's non-ASCII characters */
};

struct range {
    uint32_t lo, hi;
    double mass;
};

struct model_def {
    const char *lang;
    enum model_kind kind;
    struct tier tiers[4]; /* MK_CJK: uniform within a tier; MK_ALPHA: tiers[0] are
                             lower-case letters, most frequent first, Zipf-weighted */
    struct range ranges[4];
    double punct_mass; /* over the shared typographic punctuation */
};

/* Punctuation and symbols any language's web text uses. */
static const char shared_punct[] = "\u2019\u201C\u201D\u2013\u2014\u00AB\u00BB\u2026\u2018\u2022"
                                   "\u00B7\u201E\u20AC\u00A9\u00AE\u00B0\u2116\u2122\u00A7\u00A0";

/* Simplified Chinese, most frequent first (the first line or so is the
 * top tier). */
static const char zh_top[] =
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之"
    "年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理"
    "心她本前开但因只从想实日";
static const char zh_common[] =
    "军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向"
    "头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教"
    "儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结"
    "反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼"
    "书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望"
    "觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英"
    "士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整"
    "府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易"
    "早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势"
    "参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效"
    "续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止"
    "细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚"
    "兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷"
    "警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检"
    "差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香"
    "著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯"
    "慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散"
    "温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损"
    "忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔"
    "亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉"
    "镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨"
    "伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套"
    "贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀"
    "混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵漫列频戏博客载键屏芯码链"
    "软件统据术网络视频户台品布互联智息戏脑苹谷歌购物";
static const char zh_punct[] = "，。、：；！？“”‘’《》（）【】—…·「」";

/* Simplified -> traditional for the characters above that differ, so the
 * Big5 model ranks the same words (pairs of characters). */
static const char zh_trad_pairs[] =
    "这這个個们們国國为為说說时時会會对對发發后後过過里裡经經么麼学學现現当當没沒动動还還进進种種"
    "样樣开開关關点點业業将將两兩问問间間实實无無与與长長机機从從众眾军軍战戰头頭体體见見几幾产產"
    "气氣题題认認条條总總电電数數报報结結难難权權边邊张張该該规規万萬觉覺术術领領传傳师師观觀识識"
    "带帶导導争爭运運飞飛风風干幹联聯组組济濟车車亲親极極办辦议議转轉准準远遠罗羅爱愛击擊备備调調"
    "团團价價华華级級亚亞请請际際约約复復线線断斷满滿视視须須写寫称稱吗嗎轻輕农農装裝广廣显顯标標"
    "谈談图圖历歷医醫专專费費号號尽盡较較语語仅僅随隨选選红紅响響虽雖势勢参參构構节節维維划劃敌敵"
    "陈陳态態护護兴興验驗责責营營严嚴续續讲講终終紧緊黄黃绝絕织織围圍纪紀举舉杀殺苏蘇诉訴细細愿願"
    "钱錢网網热熱帮幫职職刚剛状狀独獨弹彈创創错錯试試脑腦预預谁誰阳陽继繼惊驚伤傷药藥适適习習劳勞"
    "财財环環欢歡获獲云雲龙龍树樹层層冲衝范範异異汉漢简簡静靜协協灵靈压壓银銀买買养養怀懷执執乱亂"
    "岁歲艺藝阵陣恶惡块塊顿頓户戶评評宝寶释釋顾顧货貨闻聞换換欧歐坏壞讨討丽麗监監临臨舰艦鱼魚杂雜"
    "误誤湾灣减減测測败敗梦夢剑劍渐漸贵貴枪槍楼樓县縣遗遺谢謝鲁魯虑慮销銷钟鐘诗詩剧劇损損旧舊录錄"
    "叶葉乡鄉礼禮顺順输輸补補谓謂疗療泽澤灭滅笔筆鲜鮮词詞圣聖择擇寻尋厂廠诺諾伦倫奥奧卖賣载載阴陰"
    "园園荣榮孙孫顶頂镇鎮练練爷爺馆館础礎纸紙诸諸训訓庄莊丝絲戏戲隐隱访訪软軟盘盤扩擴盖蓋稳穩亿億"
    "杨楊齐齊赛賽虚虛妇婦饭飯额額摇搖脱脫赶趕兰蘭乐樂类類处處义義区區队隊书書则則听聽达達记記计計"
    "设設证證质質尔爾变變员員决決东東声聲让讓码碼络絡频頻页頁键鍵链鏈苹蘋话話门門应應给給统統单單"
    "马馬岛島读讀妈媽刘劉谋謀伙夥宁寧检檢审審负負积積丽麗欢歡华華诚誠毁毀宽寬猛猛摆擺梅梅伸伸赵趙"
    "杰傑筑築郑鄭贝貝吴吳秀秀绿綠迹跡竞競轮輪库庫贸貿毕畢伟偉缓緩闪閃灯燈针針纯純扬揚侵侵刑刑购購"
    "亿億拥擁刺刺拥擁谷穀仅僅虽雖尽盡据據论論务務计計统統资資许許亲親连連节節确確满滿";

/* Japanese: kana and common kanji. */
static const char ja_top[] =
    "のにはをたしているとがなかでもすまれらうっこくりあつんださそきけよ"
    "ーンストルイクラリタッシレドコ"
    "日一国人年大本中出時行見月分後前生間上今学高子会社発表事者業新定用自対部合的手"
    "。、「」";
static const char ja_common[] =
    "せえどちやわめおばじみひごげろほべぶずねぎぐぜぞぼびぬづぱぴぷぺぽゃゅょぁぃぅぇぉゆへふむざ"
    "プアメテフジカマムロキグデブャュョオビネパバサナウハミモツニヤエセガギゲゴザズゼゾダヅノヒヘ"
    "ホボポピペベヌワヲヴヨユィェァゥォ"
    "十二三五四東金九入円外八六下来気小七山話女北午百書先名川千水半男西電校語土木聞食車何南万毎白"
    "天母火右読友左休父雨市内場方同現理経文政開地動問題知記化情報実性作通取最思家物連関力明法全意"
    "重度機期世代立体目相計解品不数利強持成考決約選協回権制総活画設務言界能加以員使結治保主送信提"
    "住係産道態変際頼増容勝再調式確規商済首映米求続証放客応援得値件領演専基告党引違限検果試論側費"
    "健康集夜配改状職営原参院投資株価技術製造企接直施属影響減防宅格伝撮受置必要歴史予始終指示判断"
    "負担運転登録更削除追表示索面投稿掲載反映今年正月買忙食太感遅能力画像処理面白気持楽私僕彼話題"
    "記事最近使用好場合結局以外他子供友達仕事会議";
static const char ja_punct[] = "。、「」『』・（）！？：～〜…―‐【】";

/* Korean: the most frequent Hangul syllables. */
static const char ko_top[] =
    "이다의는에하고을가로한서지기를은도사자리대어수있나인시정아게여라해주니들국일상부장보전구제성"
    "않그적과까우되소면것요거만원경세관동내학생위연습통화개문모러진발회신공방합계금재물용중오실미"
    "업분처음무비후드간새말터두저운결마반행선명법심현없안각조히체단외작강영교력번월년달날때손눈집"
    "길살알올봐님씨죠죽좀잘좋더했던었겠려며데든냐서울한국우리그녀저희께서부터까지에게";
static const char ko_punct[] = "·…「」『』《》〈〉“”‘’";

/* Alphabets: lower-case letters, most frequent first. */
static const char ru_letters[] = "оеаинтсрвлкмдпуяызьбгчйхжшюцщэфъёіїєґў";
static const char west_letters[] = "éáóíàèñüöäçúãêâôßîëœïåøæùìòõûÿýðþ";
static const char west_punct[] = "¡¿ºª";
static const char ce_letters[] = "áíéěřłčžóýšęöąőżśůüúćűńťďňľôäźăâîşţĺŕ";
static const char tr_letters[] = "ıüşçğöâîû";
static const char el_letters[] = "αοειτνσηκπρυμλάςόίέήωδγύχθφώβζξψϊΐϋΰ";
static const char he_letters[] = "יוהמלארבתשנעדכחקפםסזןגצטךףץ";
static const char th_letters[] = "านรอกเ่งมยี้ัลวดทิสตะไขบแคปหใจ็พชูุำืผโถึศซภธญฟฉษณๆ์ฝฐฤฎฏฑฒฬฮฆฌฃฅ๊๋ฯๅ";

enum lang_id { L_ZH_HANS, L_ZH_HANT, L_JA, L_KO, L_RU, L_WEST, L_CE, L_TR, L_EL, L_HE, L_TH, L_N };

static const struct model_def model_defs[L_N] = {
    [L_ZH_HANS] = {"zh-Hans",
                   MK_CJK,
                   {{zh_top, 0.40}, {zh_common, 0.35}, {zh_punct, 0.10}},
                   {{0x4E00, 0x9FFF, 0.10}, {0xFF01, 0xFF5E, 0.02}},
                   0.01},
    [L_ZH_HANT] = {"zh-Hant",
                   MK_CJK,
                   {{NULL, 0.40}, {NULL, 0.35}, {zh_punct, 0.10}}, /* built from the pairs */
                   {{0x4E00, 0x9FFF, 0.10}, {0xFF01, 0xFF5E, 0.02}},
                   0.01},
    [L_JA] = {"ja",
              MK_CJK,
              {{ja_top, 0.50}, {ja_common, 0.25}, {ja_punct, 0.08}},
              {{0x4E00, 0x9FFF, 0.10}, {0xFF01, 0xFF5E, 0.03}, {0x3041, 0x30FF, 0.02}},
              0.01},
    [L_KO] = {"ko",
              MK_CJK,
              {{ko_top, 0.62}, {ko_punct, 0.02}},
              {{0xAC00, 0xD7A3, 0.33}, {0x4E00, 0x9FFF, 0.01}, {0x3131, 0x318E, 0.005}},
              0.01},
    [L_RU] = {"ru", MK_ALPHA, {{ru_letters, 0.96}}, {{0x0400, 0x04FF, 0.005}}, 0.035},
    [L_WEST] = {"west", MK_ALPHA, {{west_letters, 0.73}, {west_punct, 0.02}}, {{0}}, 0.23},
    [L_CE] = {"ce", MK_ALPHA, {{ce_letters, 0.75}}, {{0x00C0, 0x017F, 0.02}}, 0.23},
    [L_TR] = {"tr", MK_ALPHA, {{tr_letters, 0.70}}, {{0x00C0, 0x00FF, 0.02}}, 0.28},
    [L_EL] = {"el", MK_ALPHA, {{el_letters, 0.96}}, {{0x0370, 0x03FF, 0.005}}, 0.035},
    [L_HE] = {"he", MK_ALPHA, {{he_letters, 0.96}}, {{0x05B0, 0x05F4, 0.005}}, 0.035},
    [L_TH] = {"th", MK_ALPHA, {{th_letters, 0.96}}, {{0x0E01, 0x0E5B, 0.005}}, 0.035},
};

/* Candidates: the name chardet reports, iconv's name, the language and a
 * small prior (log) that breaks ties between encodings that decode the
 * sample to the same text, favouring the more widespread one. */
static const struct candidate {
    const char *name;
    const char *iconv_name;
    enum lang_id lang;
    double prior;
} candidates[] = {
    {"windows-1252", "CP1252", L_WEST, 0.0},
    {"windows-1250", "CP1250", L_CE, -1.0},
    {"ISO-8859-2", "ISO-8859-2", L_CE, -1.5},
    {"windows-1254", "CP1254", L_TR, -1.5},
    {"windows-1251", "CP1251", L_RU, -0.5},
    {"KOI8-R", "KOI8-R", L_RU, -1.0},
    {"ISO-8859-5", "ISO-8859-5", L_RU, -2.5},
    {"IBM866", "IBM866", L_RU, -2.5},
    {"MacCyrillic", "MACCYRILLIC", L_RU, -3.0},
    {"ISO-8859-7", "ISO-8859-7", L_EL, -1.2},
    {"windows-1253", "CP1253", L_EL, -1.5},
    {"windows-1255", "CP1255", L_HE, -1.0},
    {"ISO-8859-8", "ISO-8859-8", L_HE, -1.5},
    {"TIS-620", "TIS-620", L_TH, -1.0},
    {"GB2312", "GB2312", L_ZH_HANS, -0.5},
    {"GB18030", "GB18030", L_ZH_HANS, -1.0},
    {"Big5", "BIG5", L_ZH_HANT, -0.5},
    {"CP950", "CP950", L_ZH_HANT, -1.0},
    {"EUC-JP", "EUC-JP", L_JA, -0.5},
    {"SHIFT_JIS", "SHIFT_JIS", L_JA, -0.5},
    {"CP932", "CP932", L_JA, -1.0},
    {"EUC-KR", "EUC-KR", L_KO, -0.5},
    {"CP949", "CP949", L_KO, -1.0},
};
#define NCAND (sizeof(candidates) / sizeof(candidates[0]))

/* ---- compiled models ---------------------------------------------------- */

struct cp_lp {
    uint32_t cp;
    float lp;
};

struct model {
    const struct model_def *def;
    struct cp_lp *tab; /* sorted by cp */
    size_t n;
};

/* Next code point of a UTF-8 string (the tables are well-formed). */
static uint32_t utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c = p[0];
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (len > 1) {
        c &= 0xFF >> (len + 1);
        for (int i = 1; i < len; i++)
            c = (c << 6) | (p[i] & 0x3F);
    }
    *s += len;
    return c;
}

static size_t utf8_count(const char *s)
{
    size_t n = 0;
    while (*s) {
        utf8_next(&s);
        n++;
    }
    return n;
}

static int cmp_cp(const void *a, const void *b)
{
    uint32_t x = ((const struct cp_lp *)a)->cp, y = ((const struct cp_lp *)b)->cp;
    return x < y ? -1 : x > y;
}

/* Append c; duplicates are resolved by tab_finish. */
static void tab_add(struct model *m, size_t *cap, uint32_t c, double lp)
{
    if (m->n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        m->tab = xrealloc(m->tab, *cap * sizeof(*m->tab));
    }
    m->tab[m->n].cp = c;
    m->tab[m->n].lp = (float)lp;
    m->n++;
}

struct cp_rank {
    uint32_t cp;
    uint32_t rank; /* position of first addition: earlier (more frequent) wins */
    float lp;
};

static int cmp_cp_rank(const void *a, const void *b)
{
    const struct cp_rank *x = a, *y = b;
    if (x->cp != y->cp)
        return x->cp < y->cp ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Sort the table by code point keeping the first addition of each (the
 * first, more frequent tier wins). One sort instead of a linear duplicate
 * search per addition, which cost millions of instructions per process. */
static void tab_finish(struct model *m)
{
    struct cp_rank *r = xmalloc((m->n ? m->n : 1) * sizeof(*r));
    for (size_t i = 0; i < m->n; i++)
        r[i] = (struct cp_rank){m->tab[i].cp, (uint32_t)i, m->tab[i].lp};
    qsort(r, m->n, sizeof(*r), cmp_cp_rank);
    size_t out = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (i > 0 && r[i].cp == r[i - 1].cp)
            continue;
        m->tab[out++] = (struct cp_lp){r[i].cp, r[i].lp};
    }
    m->n = out;
    free(r);
}

/* One simplified -> traditional pair of zh_trad_pairs. */
struct trad_pair {
    uint32_t simp;
    uint32_t rank; /* position in zh_trad_pairs: the first pair for a character wins */
    const char *trad;
    size_t trad_len;
};

static int cmp_trad_pair(const void *a, const void *b)
{
    const struct trad_pair *x = a, *y = b;
    if (x->simp != y->simp)
        return x->simp < y->simp ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int cmp_trad_key(const void *key, const void *elem)
{
    uint32_t c = *(const uint32_t *)key, simp = ((const struct trad_pair *)elem)->simp;
    return c < simp ? -1 : c > simp;
}

/* Map a simplified-Chinese string through zh_trad_pairs (sorted once, then
 * a binary search per character rather than a scan of every pair). */
static char *to_traditional(const char *s)
{
    size_t npairs = utf8_count(zh_trad_pairs) / 2;
    struct trad_pair *pairs = xmalloc(npairs * sizeof(*pairs));
    const char *p = zh_trad_pairs;
    for (size_t i = 0; i < npairs; i++) {
        pairs[i].simp = utf8_next(&p);
        pairs[i].rank = (uint32_t)i;
        pairs[i].trad = p;
        utf8_next(&p);
        pairs[i].trad_len = (size_t)(p - pairs[i].trad);
    }
    qsort(pairs, npairs, sizeof(*pairs), cmp_trad_pair);
    /* keep the first pair for each simplified character */
    size_t kept = 0;
    for (size_t i = 0; i < npairs; i++)
        if (!kept || pairs[i].simp != pairs[kept - 1].simp)
            pairs[kept++] = pairs[i];

    struct buf b = BUF_INIT;
    while (*s) {
        const char *start = s;
        uint32_t c = utf8_next(&s);
        const struct trad_pair *hit = bsearch(&c, pairs, kept, sizeof(*pairs), cmp_trad_key);
        if (hit)
            buf_add(&b, hit->trad, hit->trad_len);
        else
            buf_add(&b, start, (size_t)(s - start));
    }
    free(pairs);
    return buf_take(&b);
}

static void model_build(struct model *m, enum lang_id id)
{
    const struct model_def *d = &model_defs[id];
    size_t cap = 0;
    m->def = d;
    m->tab = NULL;
    m->n = 0;
    for (size_t t = 0; t < 4 && d->tiers[t].mass > 0; t++) {
        const char *chars = d->tiers[t].chars;
        char *owned = NULL;
        if (!chars && id == L_ZH_HANT)
            chars = owned = to_traditional(t == 0 ? zh_top : zh_common);
        size_t n = utf8_count(chars);
        const char *p = chars;
        if (d->kind == MK_ALPHA && t == 0) {
            /* Letter frequencies fall off roughly geometrically with rank: in
             * a 30-odd letter alphabet the 20th letter is some 7 times rarer
             * than the first, the last some 30 times. */
            double h = 0, k = 3.5 / (double)n;
            for (size_t r = 0; r < n; r++)
                h += exp(-k * (double)r);
            for (size_t r = 0; r < n; r++)
                tab_add(m, &cap, utf8_next(&p), log(d->tiers[t].mass * exp(-k * (double)r) / h));
        } else {
            for (size_t r = 0; r < n; r++)
                tab_add(m, &cap, utf8_next(&p), log(d->tiers[t].mass / (double)n));
        }
        free(owned);
    }
    size_t np = utf8_count(shared_punct);
    const char *p = shared_punct;
    for (size_t r = 0; r < np; r++)
        tab_add(m, &cap, utf8_next(&p), log(d->punct_mass / (double)np));
    tab_finish(m);
}

/* The models are constant: each is built once, when a candidate of its
 * language first decodes, for the process. A guess between Western code
 * pages then never builds the Chinese and Japanese tables, the largest. */
static struct model models[L_N];
static atomic_uchar model_ready[L_N];
static pthread_mutex_t model_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct model *model_get(enum lang_id id)
{
    if (!atomic_load_explicit(&model_ready[id], memory_order_acquire)) {
        pthread_mutex_lock(&model_lock);
        if (!atomic_load_explicit(&model_ready[id], memory_order_relaxed)) {
            model_build(&models[id], id);
            atomic_store_explicit(&model_ready[id], 1, memory_order_release);
        }
        pthread_mutex_unlock(&model_lock);
    }
    return &models[id];
}

/* ---- character classes -------------------------------------------------- */

enum script { S_NONE, S_LATIN, S_CYRILLIC, S_GREEK, S_HEBREW, S_THAI, S_CJK };

struct chinfo {
    enum script script;
    bool letter;
    bool upper;
    uint32_t lower; /* the lower-case form (itself when not cased) */
};

static struct chinfo classify(uint32_t c)
{
    struct chinfo r = {S_NONE, false, false, c};
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
        r.script = S_LATIN, r.letter = true;
        r.upper = c < 'a', r.lower = c | 0x20;
    } else if (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7) {
        r.script = S_LATIN, r.letter = true;
        r.upper = c < 0xDF, r.lower = r.upper ? c + 0x20 : c;
    } else if (c >= 0x100 && c <= 0x17F) {
        r.script = S_LATIN, r.letter = true;
        if (c == 0x130) { /* Turkish dotted capital I */
            r.upper = true, r.lower = 'i';
        } else if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) {
            r.upper = false;
        } else if (c == 0x178) {
            r.upper = true, r.lower = 0xFF;
        } else {
            bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
            r.upper = odd_upper ? (c & 1) : !(c & 1);
            r.lower = r.upper ? c + 1 : c;
        }
    } else if (c >= 0x218 && c <= 0x21B) {
        r.script = S_LATIN, r.letter = true;
        r.upper = !(c & 1), r.lower = r.upper ? c + 1 : c;
    } else if (c >= 0x386 && c <= 0x3CE && c != 0x387 && c != 0x38B && c != 0x38D && c != 0x3A2) {
        r.script = S_GREEK, r.letter = true;
        if (c >= 0x391 && c <= 0x3AB)
            r.upper = true, r.lower = c + 0x20;
        else if (c == 0x386)
            r.upper = true, r.lower = 0x3AC;
        else if (c >= 0x388 && c <= 0x38A)
            r.upper = true, r.lower = c + 0x25;
        else if (c == 0x38C)
            r.upper = true, r.lower = 0x3CC;
        else if (c == 0x38E || c == 0x38F)
            r.upper = true, r.lower = c + 0x3F;
    } else if (c >= 0x400 && c <= 0x4FF) {
        r.script = S_CYRILLIC, r.letter = true;
        if (c <= 0x40F)
            r.upper = true, r.lower = c + 0x50;
        else if (c <= 0x42F)
            r.upper = true, r.lower = c + 0x20;
        else if (c >= 0x460 && !(c & 1))
            r.upper = true, r.lower = c + 1;
    } else if (c >= 0x5D0 && c <= 0x5EA) {
        r.script = S_HEBREW, r.letter = true;
    } else if (c >= 0x5B0 && c <= 0x5C7) {
        r.script = S_HEBREW; /* points: attach to letters */
    } else if (c >= 0xE01 && c <= 0xE4E) {
        r.script = S_THAI, r.letter = true;
    } else if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) ||
               (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF)) {
        r.script = S_CJK, r.letter = true;
    }
    return r;
}

static bool thai_consonant(uint32_t c)
{
    return c >= 0xE01 && c <= 0xE2E;
}

/* Vowel signs and tone marks written above or below a consonant. */
static bool thai_mark(uint32_t c)
{
    return c == 0xE31 || (c >= 0xE33 && c <= 0xE3A) || (c >= 0xE47 && c <= 0xE4E);
}

/* Vowels written before the consonant they follow in speech. */
static bool thai_leading(uint32_t c)
{
    return c >= 0xE40 && c <= 0xE44;
}

static bool final_form(uint32_t c)
{
    return c == 0x5DA || c == 0x5DD || c == 0x5DF || c == 0x5E3 || c == 0x5E5 || c == 0x3C2;
}

/* Punctuation that legitimately sits between two letters of a word. */
static bool in_word_punct(uint32_t c)
{
    return c == 0x2019 || c == 0x2018 || c == 0xB7 || c == 0x2010 || c == 0x2011 ||
           (c >= 0x5B0 && c <= 0x5C7);
}

/* ---- scoring ------------------------------------------------------------ */

static double char_lp(const struct model *m, uint32_t c, uint32_t lower)
{
    struct cp_lp key = {lower, 0};
    const struct cp_lp *hit = bsearch(&key, m->tab, m->n, sizeof(*m->tab), cmp_cp);
    if (!hit && lower != c) {
        key.cp = c;
        hit = bsearch(&key, m->tab, m->n, sizeof(*m->tab), cmp_cp);
    }
    if (hit)
        return hit->lp;
    for (size_t i = 0; i < 4 && m->def->ranges[i].mass > 0; i++) {
        const struct range *r = &m->def->ranges[i];
        if (c >= r->lo && c <= r->hi)
            return log(r->mass / (double)(r->hi - r->lo + 1));
    }
    return LP_FOREIGN;
}

/* Log-probability per ASCII character: ASCII decodes alike everywhere. */
#define LP_ASCII (-4.1589) /* log(1/64) */
#define LP_NOISE (-4.852)  /* log(1/128): a random high byte */

/* Score decoded text u[0..n) under model m. */
static double score_text(const struct model *m, const uint32_t *u, size_t n)
{
    bool cased = m->def->kind == MK_ALPHA;
    enum lang_id lang = (enum lang_id)(m->def - model_defs);
    double s = 0;
    struct chinfo prev = {S_NONE, false, false, 0};
    uint32_t prev_c = 0;
    int caps_run = 0; /* upper-case letters just before c */
    for (size_t i = 0; i < n; i++) {
        uint32_t c = u[i];
        if (c < 0x80 && prev_c < 0x80) {
            /* ASCII after ASCII (most of a document): no rule below
             * applies, only the state moves on (classify() of an ASCII
             * character, inline); the same sums in the same order. A
             * whole run at once: the state after it is its last
             * character's, and the capitals it ends with. */
            size_t j = i;
            while (j + 1 < n && u[j + 1] < 0x80)
                j++;
            for (size_t k = i; k <= j; k++)
                s += LP_ASCII;
            size_t caps_from = j + 1;
            while (caps_from > i && u[caps_from - 1] >= 'A' && u[caps_from - 1] <= 'Z')
                caps_from--;
            caps_run = caps_from == i ? caps_run + (int)(j + 1 - i) : (int)(j + 1 - caps_from);
            c = u[j];
            bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
            bool upper = letter && c < 'a';
            prev = (struct chinfo){letter ? S_LATIN : S_NONE, letter, upper, letter ? c | 0x20 : c};
            prev_c = c;
            i = j;
            continue;
        }
        struct chinfo ci = classify(c);
        bool ascii = c < 0x80;
        if (ascii) {
            s += LP_ASCII;
        } else {
            s += char_lp(m, c, ci.lower);
        }
        bool pair_scored = !ascii || prev_c >= 0x80;
        if (cased && pair_scored && ci.letter && prev.letter && ci.script != S_CJK &&
            prev.script != S_CJK) {
            /* case within a word: "word", "Word" and "WORD", rarely "wORD" */
            if (ci.script != prev.script)
                s += log(0.005); /* two alphabets in one word */
            else if (!prev.upper)
                s += ci.upper ? log(0.01) : 0;
            else if (caps_run >= 2)
                s += ci.upper ? log(0.95) : log(0.05);
            else
                s += ci.upper ? log(0.2) : log(0.8);
            if (final_form(prev_c) && ci.script == prev.script)
                s += log(0.01); /* a final form is the last letter of a word */
        } else if (cased && !ascii && ci.letter && ci.upper && ci.script != S_CJK) {
            s += log(0.15); /* a word starting with a capital */
        }
        if (cased && !ascii && !ci.letter && !in_word_punct(c) && prev.letter &&
            prev.script != S_CJK && i + 1 < n) {
            struct chinfo next = classify(u[i + 1]);
            if (next.letter && next.script != S_CJK)
                s += log(0.02); /* a symbol inside a word */
        }
        if (lang == L_TH) {
            if (thai_mark(c) && !thai_consonant(prev_c) && !thai_mark(prev_c))
                s += log(0.001);
            if (thai_leading(prev_c) && !thai_consonant(c))
                s += log(0.001);
        }
        caps_run = ci.letter && ci.upper ? caps_run + 1 : 0;
        prev = ci;
        prev_c = c;
    }
    return s;
}

/* The generated table of a single-byte candidate, or NULL. */
const uint32_t *feed_sbcs_table(const char *iconv_name)
{
    for (size_t i = 0; i < sizeof(sbcs_tables) / sizeof(sbcs_tables[0]); i++)
        if (!strcmp(sbcs_tables[i].iconv_name, iconv_name))
            return sbcs_tables[i].cp;
    return NULL;
}

char *feed_sbcs_to_utf8(const char *iconv_name, const char *d, size_t n, size_t *outlen,
                        bool *known)
{
    const uint32_t *table = feed_sbcs_table(iconv_name);
    *known = table != NULL;
    if (!table)
        return NULL;
    char *out = xmalloc(3 * n + 1); /* the tables hold code points below U+10000 */
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = table[(unsigned char)d[i]];
        if (cp == SBCS_INVALID || cp > 0xFFFF) {
            free(out);
            return NULL; /* as strict iconv refuses the byte */
        }
        w += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out + w);
    }
    out[w] = '\0';
    *outlen = w;
    return out;
}

/* True when d[0..n) holds a pair of bytes the multibyte code page cannot
 * decode, found from the build-time table without opening the converter:
 * a high byte H at a character start followed by a byte B (inside the
 * sample) that iconv rejects at H whatever follows. H starts a character
 * when it opens the sample or follows an ASCII byte other than a digit,
 * since in these code pages ASCII only ends a character, except GB18030's
 * digits, which can be the second of four bytes. */
bool feed_mbcs_ruled_out(const char *iconv_name, const char *d, size_t n)
{
    const struct mbcs_pairs *pairs = NULL;
    for (size_t i = 0; i < sizeof(mbcs_pairs) / sizeof(mbcs_pairs[0]); i++)
        if (!strcmp(mbcs_pairs[i].iconv_name, iconv_name))
            pairs = &mbcs_pairs[i];
    if (!pairs)
        return false;
    const unsigned char *p = (const unsigned char *)d;
    for (size_t i = 0; i + 1 < n; i++) {
        if (p[i] < 0x80)
            continue;
        if (i > 0 && (p[i - 1] >= 0x80 || (p[i - 1] >= '0' && p[i - 1] <= '9')))
            continue;
        unsigned char b = p[i + 1];
        if (pairs->bad[p[i] - 0x80][b >> 3] >> (b & 7) & 1)
            return true;
    }
    return false;
}

/* Decode d[0..n) strictly with iconv into code points. A sequence cut off
 * by the end of a truncated sample is dropped. Returns the count, or
 * (size_t)-1 when the bytes are not valid in the encoding. */
static size_t decode(const char *iconv_name, const char *d, size_t n, bool truncated, uint32_t *out,
                     size_t cap)
{
    /* A single-byte code page decodes through its generated table, exactly
     * as iconv would, without loading its gconv module. */
    const uint32_t *table = feed_sbcs_table(iconv_name);
    if (table) {
        const unsigned char *p = (const unsigned char *)d;
        if (n > cap)
            return (size_t)-1;
        for (size_t i = 0; i < n; i++) {
            out[i] = table[p[i]];
            if (out[i] == SBCS_INVALID)
                return (size_t)-1;
        }
        return n;
    }
    if (feed_mbcs_ruled_out(iconv_name, d, n))
        return (size_t)-1; /* what iconv would conclude, without loading it */
    iconv_t cd = feed_iconv("UTF-32LE", iconv_name);
    if (cd == (iconv_t)-1)
        return (size_t)-1;
    char *in = (char *)d;
    size_t inleft = n;
    char *o = (char *)out;
    size_t oleft = cap * 4;
    size_t r = iconv(cd, &in, &inleft, &o, &oleft);
    bool ok = r != (size_t)-1 || (errno == EINVAL && truncated && inleft < 8);
    if (!ok)
        return (size_t)-1;
    size_t count = (size_t)(o - (char *)out) / 4;
    for (size_t i = 0; i < count; i++) {
        const unsigned char *b = (const unsigned char *)&out[i];
        out[i] = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    }
    /* glibc's SHIFT_JIS reads 0x5C and 0x7E as JIS Roman; Python as ASCII */
    if (!strcmp(iconv_name, "SHIFT_JIS")) {
        for (size_t i = 0; i < count; i++) {
            if (out[i] == 0xA5)
                out[i] = '\\';
            else if (out[i] == 0x203E)
                out[i] = '~';
        }
    }
    return count;
}

/* Classify the high bytes as UTF-8: valid multibyte sequences and stray bytes. */
static void utf8_census(const unsigned char *p, size_t n, size_t *valid, size_t *invalid)
{
    *valid = *invalid = 0;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = p[i] >= 0xC2 && p[i] <= 0xDF   ? 2
                     : p[i] >= 0xE0 && p[i] <= 0xEF ? 3
                     : p[i] >= 0xF0 && p[i] <= 0xF4 ? 4
                                                    : 0;
        if (len && i + len <= n && fp_utf8_valid((const char *)p + i, len)) {
            (*valid)++;
            i += len;
        } else {
            (*invalid)++;
            i++;
        }
    }
}

const char *feed_chardet_detail(const char *data, size_t len, double *margin)
{
    if (margin)
        *margin = 0;
    size_t n = len < SAMPLE_MAX ? len : SAMPLE_MAX;
    bool truncated = n < len;
    const unsigned char *p = (const unsigned char *)data;
    size_t high = 0, ascii = 0;
    for (size_t i = 0; i < n; i++)
        p[i] < 0x80 ? ascii++ : high++;
    if (!high)
        return NULL; /* plain ASCII: every candidate reads it alike */
    size_t valid, invalid;
    utf8_census(p, n, &valid, &invalid);
    if (!invalid)
        return "utf-8";
    if (valid >= 4 * invalid)
        return NULL; /* UTF-8 with a few stray bytes: no legacy encoding explains it */

    double noise = (double)ascii * LP_ASCII + (double)high * LP_NOISE;
    uint32_t *u = xmalloc((n + 1) * sizeof(*u));
    const char *best = NULL;
    double best_score = -INFINITY;
    for (size_t k = 0; k < NCAND; k++) {
        const struct candidate *cand = &candidates[k];
        size_t count = decode(cand->iconv_name, data, n, truncated, u, n + 1);
        if (count == (size_t)-1)
            continue;
        double s = cand->prior + score_text(model_get(cand->lang), u, count);
        if (s > best_score) {
            best_score = s;
            best = cand->name;
        }
    }
    free(u);
    if (margin)
        *margin = best ? best_score - noise : 0;
    if (!best || best_score - noise < MIN_MARGIN)
        return NULL;
    return best;
}

const char *feed_chardet(const char *data, size_t len)
{
    return feed_chardet_detail(data, len, NULL);
}
